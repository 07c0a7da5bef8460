using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>
/// Naffles failing under every flow, through the real host (its own, so the opened circuit breaker does not disturb the
/// other collections): each interaction is acknowledged within Discord's 3 s and ends in a clear message.
/// </summary>
[Collection(Name)]
public sealed class NafflesDownFlowTests(NafflesDownFlowTests.Fixture fixture)
{
    public const string Name = "naffles-down-host";

    private readonly FeatureHost _host = fixture.Host;

    public static TheoryData<string> Outages => ["503", "connection dropped", "hanging"];

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task NafflesDown_EveryFlowIsAnsweredInTimeAndSaysNafflesIsUnavailable(string outage)
    {
        // Everything the flows need exists while Naffles is up.
        var guild = await LinkWhenNafflesIsBackAsync();
        var (post, allowlistId) = await AllowlistFlowTests.ConnectAsync(_host, guild);
        var taskId = _host.Naffles.AddSocialTask($"task-down-{FeatureHost.Next()}", guild.CommunityId, "Down task");
        var taskPost = _host.Discord.SeedMessage(guild.ChannelId, SocialTaskFlowTests.V1Buttons($"complete_task_{taskId}", $"view_task_{taskId}"));
        var member = _host.Member(guild);
        var modal = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", new() { ["type"] = "custom", ["title"] = "During outage", ["description"] = "d", ["points"] = 5L });
        var unlinked = _host.UnlinkedGuild();

        _host.Naffles.Faults.Add("*", outage switch
        {
            "503" => NafflesFault.Status(503, times: 1_000_000),
            "connection dropped" => NafflesFault.Drop(times: 1_000_000),
            _ => NafflesFault.Hang(times: 1_000_000),
        });
        try
        {
            var replies = await Task.WhenAll(
                _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}"),
                _host.ClickAsync(member, guild, post.Id, $"allowlist:view:{allowlistId}"),
                _host.ClickAsync(member, guild, taskPost.Id, $"complete_task_{taskId}"),
                _host.ClickAsync(member, guild, taskPost.Id, $"view_task_{taskId}"),
                _host.RunAsync(member, guild, "naffles-list-tasks"),
                _host.RunAsync(guild.Admin, guild, "naffles-connect-allowlist", new() { ["allowlist_id"] = allowlistId }),
                _host.RunAsync(guild.Admin, guild, "naffles-allowlist-export", new() { ["allowlist_id"] = allowlistId }),
                _host.RunAsync(guild.Admin, guild, "naffles-allowlist-analytics"),
                _host.RunAsync(unlinked.Admin, unlinked, "naffles-link-community", new() { ["community_id"] = unlinked.CommunityId }),
                _host.RunAsync(guild.Admin, guild, "naffles-unlink-community"),
                _host.SubmitAsync(guild.Admin, guild, (string)modal.First.Data!["custom_id"]!, new() { ["custom_instructions"] = "i", ["verification_method"] = "v" }));

            Assert.All(replies, r =>
            {
                Assert.True(r.Acknowledged < TimeSpan.FromSeconds(3), $"{r.Interaction.Payload["data"]} acknowledged after {r.Acknowledged}");
                Assert.Equal(0, r.Interaction.RejectedCallbacks);
                Assert.Contains("Naffles Unavailable", r.Title, StringComparison.Ordinal);
                Assert.True(r.Ephemeral, $"{r.Interaction.Payload["data"]} answered publicly");
            });

            // Help works without Naffles, from what the bot stored.
            var help = await _host.RunAsync(member, guild, "naffles-help");
            Assert.Contains("linked to **Community", help.Description, StringComparison.Ordinal);
        }
        finally
        {
            _host.Naffles.Faults.Clear();
        }

        Assert.Empty(_host.Naffles.GetStoredEntries(allowlistId));
        Assert.Empty(_host.Naffles.GetStoredCompletions(taskId));
    }

    private async Task<TestGuild> LinkWhenNafflesIsBackAsync()
    {
        // A previous outage may have left the circuit open for its (short) break.
        for (var attempt = 0; ; attempt++)
        {
            var guild = _host.UnlinkedGuild();
            var reply = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });
            if (reply.Title.Contains("Community Linked Successfully", StringComparison.Ordinal))
            {
                return guild;
            }

            Assert.True(attempt < 20, "Naffles did not come back: " + reply.Text);
            await Task.Delay(500);
        }
    }

    /// <summary>A host of its own with quick retries, a short attempt timeout and a short circuit break.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public FeatureHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await FeatureHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["Naffles__AttemptTimeout"] = "00:00:01.500",
            ["Naffles__Retry__BaseDelay"] = "00:00:00.200",
            ["Naffles__Retry__MaxJitter"] = "00:00:00.100",
            ["Naffles__CircuitBreaker__BreakDuration"] = "00:00:01",
        });

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>Runs alone (see <see cref="FeatureHostCollection"/>): every reply here must meet the 3 s deadline.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class Collection : ICollectionFixture<Fixture>;
}
