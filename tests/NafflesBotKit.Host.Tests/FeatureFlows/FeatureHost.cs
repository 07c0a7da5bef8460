using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Host.Tests.EndToEnd;
using NafflesBotKit.Interactions;
using NafflesBotKit.Naffles;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Hosting;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>
/// The real host process with every first-party plugin, against the Discord emulator (REST, signed HTTP interactions,
/// or the gateway emulator when asked) and the Naffles emulator, which signs its webhooks and posts them to the host's
/// Webhooks plugin endpoints. Tests share one host per collection and isolate themselves by guild and community.
/// </summary>
public sealed class FeatureHost : IAsyncDisposable
{
    public const string WebhookSecret = "feature-flows-webhook-secret";

    /// <summary>What members have (no Manage Server).</summary>
    public const Permissions MemberPermissions = Permissions.ViewChannel | Permissions.SendMessages | Permissions.UseApplicationCommands;

    private static int _counter;
    private readonly string _storeDir;

    private FeatureHost(DiscordEmulator discord, NafflesEmulator naffles, BotHostProcess host, Uri address, DiscordGatewayEmulator? gateway, string storeDir)
    {
        Discord = discord;
        Naffles = naffles;
        Process = host;
        Address = address;
        Gateway = gateway;
        _storeDir = storeDir;
    }

    public DiscordEmulator Discord { get; }

    public NafflesEmulator Naffles { get; }

    public BotHostProcess Process { get; }

    public Uri Address { get; }

    /// <summary>The gateway emulator, when the host runs with gateway interactions.</summary>
    public DiscordGatewayEmulator? Gateway { get; }

    /// <summary>Starts the emulators and the host and waits until the host is ready for interactions.</summary>
    /// <param name="useGateway">Connect the host to the gateway emulator (guild events; interactions as INTERACTION_CREATE).</param>
    /// <param name="settings">Extra host environment variables.</param>
    public static async Task<FeatureHost> StartAsync(bool useGateway = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        DiscordGatewayEmulator? gateway = null;
        if (useGateway)
        {
            gateway = new DiscordGatewayEmulator(new DiscordGatewayEmulatorOptions
            {
                Token = discord.BotToken,
                ApplicationId = discord.ApplicationId,
                BotUserId = discord.ApplicationId,
                HeartbeatIntervalMs = 10_000,
            });
            await gateway.StartAsync();
            discord.GatewayUrl = gateway.GatewayUrl.ToString().TrimEnd('/');
        }

        var nafflesOptions = new NafflesEmulatorOptions();
        var naffles = await NafflesEmulator.StartAsync(nafflesOptions);
        var store = Directory.CreateTempSubdirectory("nbk-feature-flows-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = discord.BotToken,
            ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
            ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
            ["NAFFLES_API_BASE_URL"] = naffles.BaseUrl.ToString(),
            ["NAFFLES_API_KEY"] = naffles.ApiKey,
            ["WEBHOOK_SECRET"] = WebhookSecret,
            ["Storage__Path"] = Path.Combine(store, "store.db"),
            ["Plugins__WatchForNewVersions"] = "false",
            // Interaction rate limits and cooldowns would turn repeated clicks away before they reach the plugins; the
            // flows here are about what the plugins do with every click.
            ["RateLimits__Enabled"] = "false",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        if (!useGateway)
        {
            environment["Discord__Interactions"] = "Http";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var host = HostProcess.Start(environment);
        Uri address;
        try
        {
            address = await host.WaitUntilListeningAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        var featureHost = new FeatureHost(discord, naffles, host, address, gateway, store);
        if (gateway is null)
        {
            discord.Interactions.UseHttp(new Uri(address, "/interactions"));
        }
        else
        {
            discord.Interactions.UseGateway(gateway);
        }

        // The Naffles platform posts its signed webhooks to the host's Webhooks plugin.
        nafflesOptions.WebhookUrl = new Uri(address, "/webhooks/naffles");
        nafflesOptions.WebhookSecret = WebhookSecret;
        await featureHost.WaitUntilReadyAsync();
        return featureHost;
    }

    /// <summary>A fresh number for ids (unique within the test run).</summary>
    public static int Next() => Interlocked.Increment(ref _counter);

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Naffles.DisposeAsync();
        await Discord.DisposeAsync();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        try
        {
            Directory.Delete(_storeDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    // ---- Guilds and users ----

    /// <summary>A guild with a channel and a Naffles community whose owner (a Discord admin) linked it with the command.</summary>
    public async Task<TestGuild> LinkedGuildAsync()
    {
        var guild = UnlinkedGuild();
        var reply = await RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });
        Assert.Contains("Community Linked Successfully", reply.Title, StringComparison.Ordinal);
        return guild;
    }

    /// <summary>A guild and a community (owned on Naffles by the guild's admin) that are not linked yet.</summary>
    public TestGuild UnlinkedGuild()
    {
        var n = Next();
        var (guild, channel) = Discord.AddGuild();
        var communityId = $"community-{n}";
        Naffles.AddCommunity(communityId, $"Community {n}");
        var admin = Discord.AddUser($"admin{n}");
        Discord.AddMember(guild.Id, admin.Id);
        var nafflesAdmin = Naffles.AddUser($"user-admin-{n}", $"admin{n}", DiscordId(admin));
        Naffles.AddMembership(communityId, nafflesAdmin, CommunityRoles.Owner);
        return new TestGuild(guild.Id, channel, communityId, admin);
    }

    /// <summary>A member of the guild without Manage Server; linked to a Naffles account (a community member) unless said otherwise.</summary>
    public EmulatedUser Member(TestGuild guild, bool linked = true, string? wallet = "0xabc")
    {
        var n = Next();
        var user = Discord.AddUser($"member{n}");
        Discord.AddMember(guild.Id, user.Id);
        Discord.Interactions.SetMemberPermissions(guild.Id, user.Id, MemberPermissions);
        if (linked)
        {
            var nafflesId = Naffles.AddUser($"user-member-{n}", $"member{n}", DiscordId(user), wallet);
            Naffles.AddMembership(guild.CommunityId, nafflesId, CommunityRoles.Member);
        }

        return user;
    }

    public static string DiscordId(EmulatedUser user) => user.Id.ToString(CultureInfo.InvariantCulture);

    // ---- Interactions ----

    /// <summary>Runs a slash command and returns what the user finally sees.</summary>
    public async Task<BotReply> RunAsync(EmulatedUser user, TestGuild guild, string command, Dictionary<string, object>? options = null, ulong? channel = null)
    {
        var watch = Stopwatch.StartNew();
        var sent = await Discord.Interactions.RunCommandAsync(user, guild.Id, channel ?? guild.ChannelId, command, options);
        return await ReplyOfAsync(sent, watch);
    }

    /// <summary>Clicks a button or picks a select value on a message and returns what the user finally sees.</summary>
    public async Task<BotReply> ClickAsync(EmulatedUser user, TestGuild guild, ulong messageId, string customId, params string[] values)
    {
        var watch = Stopwatch.StartNew();
        var sent = await Discord.Interactions.ClickAsync(user, guild.Id, messageId, customId, values.Length == 0 ? null : values);
        return await ReplyOfAsync(sent, watch);
    }

    /// <summary>Submits a modal and returns what the user finally sees.</summary>
    public async Task<BotReply> SubmitAsync(EmulatedUser user, TestGuild guild, string customId, Dictionary<string, string> fields)
    {
        var watch = Stopwatch.StartNew();
        var sent = await Discord.Interactions.SubmitModalAsync(user, guild.Id, guild.ChannelId, customId, fields);
        return await ReplyOfAsync(sent, watch);
    }

    /// <summary>
    /// Waits for the interaction's first response (recording how long that took: Discord's deadline is 3 s) and, when it
    /// was deferred, for the edit of the original message or a follow-up that carries the answer.
    /// </summary>
    public async Task<BotReply> ReplyOfAsync(SimulatedInteraction sent, Stopwatch? watch = null)
    {
        var interaction = sent.Interaction;
        EmulatedCallback first;
        try
        {
            first = await Discord.WaitForResponseAsync(interaction.Id, TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Interaction {interaction.Id} ({interaction.Payload["data"]?.ToJsonString()}) was never answered (rejected callbacks: {interaction.RejectedCallbacks}, HTTP round trip {sent.Delivery.RoundTrip}). Host output:\n{Tail()}");
        }

        // Inline answers: the HTTP round trip, as Discord times it; answers over REST: since the test sent it.
        var acknowledged = first.Inline && sent.Delivery.RoundTrip is { } roundTrip ? roundTrip : watch?.Elapsed ?? TimeSpan.Zero;
        if (first.Type is 5 or 6)
        {
            var deadline = Stopwatch.StartNew();
            while (!HasAnswer(interaction))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"Deferred interaction {interaction.Id} was never completed. Host output:\n{Tail()}");
                }

                await Task.Delay(20);
            }
        }

        EmulatedMessage? message = interaction.FollowupIds.Count > 0
            ? Discord.Message(interaction.FollowupIds[^1])
            : interaction.OriginalMessageId is { } id ? Discord.Message(id) : null;
        return new BotReply(first, message, acknowledged, interaction);
    }

    private bool HasAnswer(EmulatedInteraction interaction)
    {
        if (interaction.FollowupIds.Count > 0)
        {
            return true;
        }

        var original = "/webhooks/" + Discord.ApplicationId.ToString(CultureInfo.InvariantCulture) + "/" + interaction.Token + "/messages/@original";
        return Discord.Requests.Any(r => r.Method == "PATCH" && r.Status == 200 && r.Path.StartsWith(original, StringComparison.Ordinal));
    }

    /// <summary>Waits until a condition holds (a safety timeout, not a timing assertion).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The last lines of the host's output (for failure messages).</summary>
    public string Tail(int lines = 60)
    {
        var all = Process.Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private async Task WaitUntilReadyAsync()
    {
        // Command sync runs at start; interactions are routed once the plugins are loaded.
        await EventuallyAsync(
            () => Discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-connect-allowlist")
                && Discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-create-task")
                && Discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-link-community"),
            "commands synced:\n" + Process.Output,
            TimeSpan.FromSeconds(60));
        if (Gateway is not null)
        {
            await EventuallyAsync(() => Gateway.IsLive(0), "gateway session", TimeSpan.FromSeconds(60));
        }

        // A freshly started process compiles its interaction path on first use; on a busy 2-core machine that alone can
        // take longer than Discord's 3 s. Warm it up with a few commands before the flows start timing replies.
        var guild = UnlinkedGuild();
        for (var i = 0; i < 3; i++)
        {
            var sent = await Discord.Interactions.RunCommandAsync(guild.Admin, guild.Id, guild.ChannelId, "naffles-help");
            try
            {
                await Discord.WaitForResponseAsync(sent.Interaction.Id, TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // only warming up
            }
        }
    }
}

/// <summary>A guild of the test, its channel, its Naffles community and its admin (Manage Server, community owner).</summary>
public sealed record TestGuild(ulong Id, ulong ChannelId, string CommunityId, EmulatedUser Admin);

/// <summary>What the user finally sees for an interaction.</summary>
/// <param name="First">The first response (type 4 message, 5 deferred, 6 deferred update, 7 update, 9 modal).</param>
/// <param name="Message">The message showing the answer (the response, the edited original or the last follow-up).</param>
/// <param name="Acknowledged">How long the first response took.</param>
/// <param name="Interaction">The emulator's record.</param>
public sealed record BotReply(EmulatedCallback First, EmulatedMessage? Message, TimeSpan Acknowledged, EmulatedInteraction Interaction)
{
    public JsonObject? Embed => Message?.Embeds.OfType<JsonObject>().FirstOrDefault();

    public string Title => (string?)Embed?["title"] ?? "";

    public string Description => (string?)Embed?["description"] ?? "";

    public bool Ephemeral => ((Message?.Flags ?? 0) & 64) != 0;

    /// <summary>Every text the user sees: content, titles, descriptions, field names and values, footers.</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder(Message?.Content ?? "");
            foreach (var embed in Message?.Embeds.OfType<JsonObject>() ?? [])
            {
                text.Append('\n').Append((string?)embed["title"]).Append('\n').Append((string?)embed["description"]);
                foreach (var item in embed["fields"] as JsonArray ?? [])
                {
                    text.Append('\n').Append((string?)item?["name"]).Append(": ").Append((string?)item?["value"]);
                }

                text.Append('\n').Append((string?)embed["footer"]?["text"]);
            }

            return text.ToString();
        }
    }

    /// <summary>The components' custom ids (buttons and menus), in order.</summary>
    public IReadOnlyList<string> CustomIds => Message is null ? [] : BotReplies.CustomIds(Message.Components);

    /// <summary>The link buttons' URLs.</summary>
    public IReadOnlyList<string> LinkUrls => Message is null ? [] : BotReplies.Flatten(Message.Components).Select(c => (string?)c["url"]).OfType<string>().ToList();
}

public static class BotReplies
{
    public static IEnumerable<JsonObject> Flatten(JsonArray components)
    {
        foreach (var c in components.OfType<JsonObject>())
        {
            yield return c;
            if (c["components"] is JsonArray inner)
            {
                foreach (var child in Flatten(inner))
                {
                    yield return child;
                }
            }
        }
    }

    public static IReadOnlyList<string> CustomIds(JsonArray components) =>
        Flatten(components).Select(c => (string?)c["custom_id"]).OfType<string>().ToList();

    public static JsonObject? Component(JsonArray components, string customId) =>
        Flatten(components).FirstOrDefault(c => (string?)c["custom_id"] == customId);

    /// <summary>The values of a select menu's options.</summary>
    public static IReadOnlyList<string> OptionValues(JsonArray components, string customId) =>
        (Component(components, customId)?["options"] as JsonArray ?? []).Select(o => (string?)o?["value"]).OfType<string>().ToList();
}

/// <summary>One host for the feature-flow collection.</summary>
public sealed class FeatureHostFixture : IAsyncLifetime
{
    public FeatureHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await FeatureHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The shared host's collection. It runs on its own, after the parallel collections: its bursts (200 concurrent clicks)
/// must meet Discord's 3 s deadline on a 2-core machine, which other hosts starting in parallel would make a coin toss.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FeatureHostCollection : ICollectionFixture<FeatureHostFixture>
{
    public const string Name = "feature-host";
}
