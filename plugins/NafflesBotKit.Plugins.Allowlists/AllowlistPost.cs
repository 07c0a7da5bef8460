using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Allowlists;

/// <summary>A requirement of an allowlist the bot can check (Discord membership or role, a wallet) or only show.</summary>
internal sealed record Requirement(string Kind, string Label, ulong? GuildId = null, ulong? RoleId = null);

/// <summary>Which Discord message shows an allowlist, with the data it renders (plugin store, key <c>posts/{id}</c>).</summary>
internal sealed record AllowlistPost
{
    public required string AllowlistId { get; init; }

    public required ulong GuildId { get; init; }

    public required ulong ChannelId { get; init; }

    public required ulong MessageId { get; init; }

    public string? CommunityId { get; init; }

    public ulong? WinnerRoleId { get; init; }

    public string Title { get; init; } = "";

    public string? Description { get; init; }

    public string Status { get; init; } = "active";

    public int? WinnerCount { get; init; }

    public int? MaxEntries { get; init; }

    public int TotalEntries { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public string? PriceToken { get; init; }

    public string? PriceAmount { get; init; }

    public List<Requirement> Requirements { get; init; } = [];

    public DateTimeOffset LastRenderedAt { get; init; }

    public static AllowlistPost From(Allowlist allowlist, ulong guildId, ulong channelId, ulong messageId, DateTimeOffset now) => new AllowlistPost
    {
        AllowlistId = allowlist.Id,
        GuildId = guildId,
        ChannelId = channelId,
        MessageId = messageId,
        CommunityId = allowlist.CommunityId,
        LastRenderedAt = now,
    }.With(allowlist);

    /// <summary>This post with the allowlist's current data.</summary>
    public AllowlistPost With(Allowlist allowlist) => this with
    {
        Title = allowlist.Title,
        Description = allowlist.Description,
        Status = allowlist.Status ?? Status,
        WinnerCount = allowlist.WinnerCount,
        MaxEntries = allowlist.MaxEntries,
        TotalEntries = Math.Max(TotalEntries, allowlist.TotalEntries ?? 0),
        EndTime = allowlist.EndTime,
        PriceToken = allowlist.EntryPrice?.TokenType,
        PriceAmount = allowlist.EntryPrice?.Amount,
        Requirements = RequirementsOf(allowlist),
    };

    /// <summary>
    /// Requirements from the platform's <c>socialTasks</c> (Discord server/role, Twitter, Telegram, custom) and
    /// <c>requiresWallet</c>; unknown shapes are ignored.
    /// </summary>
    public static List<Requirement> RequirementsOf(Allowlist allowlist)
    {
        List<Requirement> list = [];
        if (allowlist.AdditionalData is not { } extra)
        {
            return list;
        }

        if (extra.TryGetValue("requiresWallet", out var wallet) && wallet.ValueKind == JsonValueKind.True)
        {
            list.Add(new Requirement("wallet", "A wallet address on your Naffles account"));
        }

        if (!extra.TryGetValue("socialTasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var task in tasks.EnumerateArray())
        {
            if (task.ValueKind != JsonValueKind.Object || (task.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.False))
            {
                continue;
            }

            var type = task.TryGetProperty("taskType", out var t) ? t.GetString() : null;
            var data = task.TryGetProperty("verificationData", out var v) ? v : default;
            switch (type)
            {
                case "discord_join" or "discord_role" when data.ValueKind == JsonValueKind.Object && data.TryGetProperty("discord", out var discord):
                    var serverId = Snowflake(discord, "serverId");
                    var serverName = discord.TryGetProperty("serverName", out var n) ? n.GetString() : null;
                    var roleId = Snowflake(discord, "requiredRole");
                    list.Add(new Requirement("discord", $"Member of {serverName ?? "the Discord server"}", serverId));
                    if (roleId is not null)
                    {
                        list.Add(new Requirement("discord_role", $"The <@&{roleId}> role", serverId, roleId));
                    }

                    break;
                case "twitter_follow" when data.ValueKind == JsonValueKind.Object && data.TryGetProperty("twitter", out var twitter) && twitter.TryGetProperty("username", out var user):
                    list.Add(new Requirement("info", $"Follow @{user.GetString()} on Twitter"));
                    break;
                case "telegram_join":
                    list.Add(new Requirement("info", "Join the Telegram channel"));
                    break;
                case { } other:
                    list.Add(new Requirement("info", $"Complete the {other.Replace('_', ' ')} task on Naffles"));
                    break;
            }
        }

        return list;
    }

    private static ulong? Snowflake(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

[JsonSerializable(typeof(AllowlistPost))]
[JsonSerializable(typeof(bool))]
internal sealed partial class AllowlistsJson : JsonSerializerContext;

/// <summary>Allowlist posts in the plugin store (key <c>posts/{allowlistId}</c>) and which winners were announced.</summary>
internal sealed class AllowlistPostStore(IPluginStore store)
    : PostStore<AllowlistPost>(store, AllowlistsJson.Default.AllowlistPost, p => p.AllowlistId, p => p.GuildId)
{
    /// <summary>True the first time only: winners of an allowlist are announced once even if the event is redelivered.</summary>
    public ValueTask<bool> TryMarkAnnouncedAsync(string allowlistId, CancellationToken cancellationToken) =>
        Store.TryAddAsync("announced/" + allowlistId, true, AllowlistsJson.Default.Boolean, TimeSpan.FromDays(30), cancellationToken);
}
