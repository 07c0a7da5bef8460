using System.Text.Json;
using NafflesBotKit.Plugins.SocialTasks;

namespace NafflesBotKit.Plugins.Features.Tests;

/// <summary>Task posts read back from the store render even when a record has no configuration.</summary>
public sealed class TaskPostRecordTests
{
    [Fact]
    public void AStoredPostWithNullConfiguration_ReadsAsEmpty_AndRenders()
    {
        const string json = """{"TaskId":"t1","GuildId":1,"ChannelId":2,"MessageId":3,"Title":"Follow us","Type":"twitter_follow","Points":10,"Configuration":null}""";

        var post = JsonSerializer.Deserialize(json, SocialTasksJson.Default.TaskPost)!;
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        Assert.Empty(post.Configuration);
        Assert.NotNull(TaskEmbeds.Post(post, now).Embeds);
        Assert.NotNull(TaskEmbeds.Detail(post, now).Embeds);
    }
}
