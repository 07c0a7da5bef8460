using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NafflesBotKit.Interactions;
using NafflesBotKit.Naffles;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Sandbox;

/// <summary>A user of the sandbox's demo guild.</summary>
/// <param name="Role">"owner", "admin" or "member".</param>
/// <param name="Discord">The Discord user.</param>
/// <param name="NafflesUserId">The linked Naffles account.</param>
/// <param name="Label">How the playground shows them.</param>
internal sealed record SandboxUser(string Role, EmulatedUser Discord, string NafflesUserId, string Label);

/// <summary>
/// Discord and Naffles for a host without credentials: the loopback emulators of NafflesBotKit.Testing, started before
/// the host's services are built so the normal wiring (REST, signed HTTP interactions, the Naffles client, the Webhooks
/// plugin) connects to them exactly as it would to the real services. Holds the demo guild, its users and the demo
/// community with tasks and allowlists.
/// </summary>
internal sealed class SandboxEnvironment : IAsyncDisposable
{
    public const string CommunityId = "demo-community";
    public const string CommunityName = "Naffles Sandbox Community";
    public const string GuildName = "Naffles Sandbox";
    public const string ChannelName = "general";

    /// <summary>The allowlist the sandbox posts at start (the others are left for the playground to connect).</summary>
    public const string PostedAllowlistId = "al-vip";

    private readonly NafflesEmulatorOptions _nafflesOptions;
    private int _simulatedUsers;

    private SandboxEnvironment(DiscordEmulator discord, NafflesEmulator naffles, NafflesEmulatorOptions nafflesOptions, string webhookSecret)
    {
        Discord = discord;
        Naffles = naffles;
        _nafflesOptions = nafflesOptions;
        WebhookSecret = webhookSecret;
    }

    public DiscordEmulator Discord { get; }

    public NafflesEmulator Naffles { get; }

    public string WebhookSecret { get; }

    public ulong GuildId { get; private set; }

    public ulong ChannelId { get; private set; }

    public ulong WinnerRoleId { get; private set; }

    public SandboxUser Owner { get; private set; } = null!;

    public SandboxUser Admin { get; private set; } = null!;

    public SandboxUser Member { get; private set; } = null!;

    public IReadOnlyList<SandboxUser> Users => [Admin, Member];

    /// <summary>The tasks and allowlists seeded on Naffles (ids and titles), for the playground's hints.</summary>
    public IReadOnlyList<(string Id, string Title)> Tasks { get; private set; } = [];

    public IReadOnlyList<(string Id, string Title)> Allowlists { get; private set; } = [];

    /// <summary>Starts both emulators on free loopback ports and seeds the demo data.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<SandboxEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        // Discord's 3-second answer deadline is not enforced: a cold start on a slow machine should not turn the first
        // commands into "Unknown interaction" (the router still defers after Interactions:AutoDeferAfter).
        var discord = new DiscordEmulator(new DiscordEmulatorOptions { EnforceInteractionDeadline = false });
        var nafflesOptions = new NafflesEmulatorOptions();
        NafflesEmulator? naffles = null;
        try
        {
            await discord.StartAsync(cancellationToken).ConfigureAwait(false);
            naffles = await NafflesEmulator.StartAsync(nafflesOptions, cancellationToken).ConfigureAwait(false);
            var secret = "sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            nafflesOptions.WebhookSecret = secret;
            var sandbox = new SandboxEnvironment(discord, naffles, nafflesOptions, secret);
            sandbox.Seed();
            return sandbox;
        }
        catch
        {
            if (naffles is not null)
            {
                await naffles.DisposeAsync().ConfigureAwait(false);
            }

            await discord.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The configuration that points the host's normal wiring at the emulators.</summary>
    /// <param name="storagePath">The SQLite file.</param>
    public Dictionary<string, string?> HostConfiguration(string storagePath) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Discord:BotToken"] = Discord.BotToken,
        ["Discord:ClientId"] = Discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
        ["Discord:PublicKey"] = Discord.PublicKeyHex,
        ["Discord:ApiBaseUrl"] = Discord.Urls.RestBaseUrl.AbsoluteUri,
        ["Discord:Interactions"] = "Http",
        ["Naffles:BaseUrl"] = Naffles.BaseUrl.AbsoluteUri,
        ["Naffles:ApiKey"] = Naffles.ApiKey,
        ["Webhooks:Secret"] = WebhookSecret,
        ["Storage:Path"] = storagePath,

        // The playground's admin is also a bot operator, so /naffles-admin plugins … can be tried.
        ["Admin:OwnerIds"] = Admin.Discord.Id.ToString(CultureInfo.InvariantCulture),
        ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = new Uri(Discord.Urls.RestBaseUrl.AbsoluteUri.TrimEnd('/') + "/gateway").AbsoluteUri,
    };

    /// <summary>Points the emulators back at the host once it listens: interactions to its endpoint, webhooks to the plugin.</summary>
    /// <param name="host">The host's loopback address.</param>
    public void Attach(Uri host)
    {
        ArgumentNullException.ThrowIfNull(host);
        Discord.Interactions.UseHttp(new Uri(host, "/interactions"));
        _nafflesOptions.WebhookUrl = new Uri(host, "/webhooks/naffles");
    }

    /// <summary>The sandbox user with a role name ("admin" or "member"); null when unknown.</summary>
    /// <param name="role">The role.</param>
    public SandboxUser? User(string? role) => role?.ToUpperInvariant() switch
    {
        "ADMIN" => Admin,
        "MEMBER" => Member,
        _ => null,
    };

    /// <summary>A new Naffles user (no Discord account) who joins the community, for simulated platform activity.</summary>
    public (string Id, string Username) AddSimulatedUser()
    {
        var n = Interlocked.Increment(ref _simulatedUsers);
        var username = "naffles_fan_" + n.ToString(CultureInfo.InvariantCulture);
        var id = "u-sim-" + n.ToString(CultureInfo.InvariantCulture);
        Naffles.AddUser(id, username, walletAddress: "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));
        Naffles.AddMembership(CommunityId, id);
        return (id, username);
    }

    public async ValueTask DisposeAsync()
    {
        await Naffles.DisposeAsync().ConfigureAwait(false);
        await Discord.DisposeAsync().ConfigureAwait(false);
    }

    private void Seed()
    {
        var (guild, channel) = Discord.AddGuild();
        GuildId = guild.Id;
        ChannelId = channel;
        WinnerRoleId = Discord.AddRole(GuildId, "Allowlist Winner");
        Discord.AddRole(GuildId, "Verified");

        Owner = AddUser("owner", "sandbox-owner", "Sam Owner", CommunityRoles.Owner, Permissions.Administrator | Permissions.ManageGuild);
        Admin = AddUser("admin", "alex-admin", "Alex (admin)", CommunityRoles.Admin, Permissions.Administrator | Permissions.ManageGuild | Permissions.ManageRoles | Permissions.ViewChannel | Permissions.SendMessages | Permissions.UseApplicationCommands);
        Member = AddUser("member", "mia-member", "Mia (member)", CommunityRoles.Member, Permissions.ViewChannel | Permissions.SendMessages | Permissions.ReadMessageHistory | Permissions.UseApplicationCommands);

        Naffles.AddCommunity(CommunityId, CommunityName, "The demo community of the NafflesBotKit sandbox.");
        Tasks =
        [
            (Naffles.AddSocialTask("task-follow", CommunityId, "Follow @naffles on X", "twitter_follow", points: 50), "Follow @naffles on X"),
            (Naffles.AddSocialTask("task-join", CommunityId, "Join the Naffles Discord", "discord_join", points: 25), "Join the Naffles Discord"),
            (Naffles.AddSocialTask("task-share", CommunityId, "Share your favourite raffle", "custom", points: 100), "Share your favourite raffle"),
        ];
        Allowlists =
        [
            (Naffles.AddAllowlist(PostedAllowlistId, CommunityId, "VIP Mint Allowlist", maxEntries: 50, winnerCount: 1), "VIP Mint Allowlist"),
            (Naffles.AddAllowlist("al-genesis", CommunityId, "Genesis Pass Allowlist", maxEntries: 500, winnerCount: 3), "Genesis Pass Allowlist"),
        ];
        var ends = DateTimeOffset.UtcNow.AddDays(7).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        Naffles.SetAllowlistFields(PostedAllowlistId, new JsonObject { ["description"] = "One lucky member gets a VIP mint spot.", ["endTime"] = ends });
        Naffles.SetAllowlistFields("al-genesis", new JsonObject { ["description"] = "Three Genesis Pass spots for the community.", ["endTime"] = ends });
    }

    private SandboxUser AddUser(string role, string username, string label, string communityRole, Permissions permissions)
    {
        var user = Discord.AddUser(username, label);
        Discord.AddMember(GuildId, user.Id);
        Discord.Interactions.SetMemberPermissions(GuildId, user.Id, permissions);
        var nafflesId = "u-" + role;
        Naffles.AddUser(nafflesId, username, user.Id.ToString(CultureInfo.InvariantCulture), "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));
        Naffles.AddMembership(CommunityId, nafflesId, communityRole);
        return new SandboxUser(role, user, nafflesId, label);
    }
}
