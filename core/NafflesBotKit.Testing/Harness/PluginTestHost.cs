using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Testing;

/// <summary>Settings of a <see cref="PluginTestHost"/>.</summary>
public sealed class PluginTestHostOptions
{
    /// <summary>Start a Naffles emulator and give the plugin a real Naffles client pointed at it (default true).</summary>
    public bool WithNaffles { get; set; } = true;

    /// <summary>
    /// Start a Discord REST emulator and give the plugin the real <c>IDiscordClient</c> pointed at it (default true):
    /// messages, DMs and role changes the plugin makes land in <see cref="PluginTestHost.Discord"/>. The guild
    /// <see cref="GuildId"/>, its channel <see cref="ChannelId"/> and the <see cref="TestInvoker"/> users exist there.
    /// </summary>
    public bool WithDiscord { get; set; } = true;

    /// <summary>Extra configuration (e.g. <c>Plugins:Settings:{id}:X</c>).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>The guild interactions come from by default.</summary>
    public ulong GuildId { get; set; } = 111111111111111111;

    /// <summary>The channel interactions come from by default.</summary>
    public ulong ChannelId { get; set; } = 222222222222222222;

    /// <summary>The clock (a FakeTimeProvider for time-dependent tests).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Last-minute service registrations (fakes at the unit boundary).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
}

/// <summary>Who invokes an interaction in a test.</summary>
/// <param name="User">The user.</param>
/// <param name="Permissions">Their permissions in the channel.</param>
public sealed record TestInvoker(DiscordUser User, Permissions Permissions)
{
    /// <summary>A member with no special permissions.</summary>
    public static TestInvoker Member { get; } = new(new DiscordUser(333333333333333333, "member"), Permissions.ViewChannel | Permissions.SendMessages);

    /// <summary>A server administrator.</summary>
    public static TestInvoker Admin { get; } = new(new DiscordUser(444444444444444444, "admin"), Permissions.Administrator);
}

/// <summary>
/// Runs a plugin in-process with the real runtime (router, guards, store, cache, event bus) and, by default, a
/// Discord REST emulator and a Naffles emulator over loopback HTTP — for plugin authors' tests and ours. Send
/// commands, clicks and modal submissions as Discord would, then assert on what the bot answered
/// (<see cref="TestInteractionResult"/>) and what it posted (<see cref="Discord"/>).
/// </summary>
public sealed class PluginTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly PluginTestHostOptions _options;
    private readonly string _dataFolder;
    private long _nextId = 1_000;

    private PluginTestHost(ServiceProvider services, PluginTestHostOptions options, DiscordEmulator? discord, NafflesEmulator? naffles, string dataFolder, LoadedPlugin plugin)
    {
        _services = services;
        _options = options;
        Discord = discord;
        Naffles = naffles;
        _dataFolder = dataFolder;
        Plugin = plugin;
    }

    /// <summary>
    /// The Discord REST emulator behind the plugin's <c>IDiscordClient</c>, when enabled: read what the bot posted with
    /// <c>Discord.Messages(channelId)</c> / <c>LastMessage</c>, its DMs with <c>DmChannel(userId)</c>, members' roles
    /// with <c>MemberRoles</c>.
    /// </summary>
    public DiscordEmulator? Discord { get; }

    /// <summary>The Naffles emulator, when enabled.</summary>
    public NafflesEmulator? Naffles { get; }

    /// <summary>The settings the host was started with (default guild and channel of interactions, ...).</summary>
    public PluginTestHostOptions Options => _options;

    /// <summary>The loaded plugin.</summary>
    public LoadedPlugin Plugin { get; }

    /// <summary>The host's services (event bus, store factory, …).</summary>
    public IServiceProvider Services => _services;

    /// <summary>The slash commands the plugin registers, as Discord would receive them.</summary>
    public IReadOnlyList<ApplicationCommandDefinition> Commands => _services.GetRequiredService<RouteRegistry>().Commands;

    /// <summary>Starts a host running <paramref name="plugin"/>; throws when the plugin fails to load, saying why.</summary>
    /// <param name="plugin">The plugin's entry point (its handlers are the types in its namespace and below).</param>
    /// <param name="options">Settings.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<PluginTestHost> StartAsync(BotPlugin plugin, PluginTestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        options ??= new PluginTestHostOptions();
        var dataFolder = Directory.CreateTempSubdirectory("nafflesbot-test-").FullName;
        DiscordEmulator? discord = null;
        if (options.WithDiscord)
        {
            discord = new DiscordEmulator();
            await discord.StartAsync(cancellationToken).ConfigureAwait(false);
            discord.SeedGuild(options.GuildId, options.ChannelId, Emulated(TestInvoker.Member), Emulated(TestInvoker.Admin));
        }

        NafflesEmulator? naffles = null;
        if (options.WithNaffles)
        {
            naffles = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { TimeProvider = options.TimeProvider ?? TimeProvider.System }, cancellationToken).ConfigureAwait(false);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Plugins:Path"] = Path.Combine(dataFolder, "plugins"),
            ["Plugins:WatchForNewVersions"] = "false",
            ["Storage:Path"] = Path.Combine(dataFolder, "store.db"),
        };
        if (discord is not null)
        {
            settings["Discord:Token"] = discord.BotToken;
            settings["Discord:ClientId"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture);
            settings["Discord:ApiBaseUrl"] = discord.Urls.RestBaseUrl.ToString();
        }

        if (naffles is not null)
        {
            settings["Naffles:BaseUrl"] = naffles.BaseUrl.ToString();
            settings["Naffles:ApiKey"] = naffles.ApiKey;
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (options.TimeProvider is not null)
        {
            services.AddSingleton(options.TimeProvider);
        }

        services.AddNafflesBotRuntime(configuration);
        services.AddNafflesBotServices(configuration);
        if (discord is not null)
        {
            // The real REST client (rate limits, error mapping) as the plugin's IDiscordClient.
            services.AddDiscordRest(configuration);
            services.AddDiscordRuntimeBridge();
        }

        if (naffles is not null)
        {
            services.AddNafflesApi(configuration);
            services.AddPluginExport<NafflesBotKit.Naffles.INafflesApi>();
        }

        options.ConfigureServices?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var manager = provider.GetRequiredService<PluginManager>();
        var loaded = await manager.AddInProcessAsync(plugin, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            var reason = manager.Statuses.FirstOrDefault()?.Error ?? "unknown reason";
            await provider.DisposeAsync().ConfigureAwait(false);
            if (naffles is not null)
            {
                await naffles.DisposeAsync().ConfigureAwait(false);
            }

            if (discord is not null)
            {
                await discord.DisposeAsync().ConfigureAwait(false);
            }

            throw new InvalidOperationException($"The plugin did not load: {reason}");
        }

        return new PluginTestHost(provider, options, discord, naffles, dataFolder, loaded);
    }

    /// <summary>Runs a slash command: <c>RunCommandAsync("naffles-admin plugins reload", ("plugin", "x"))</c>.</summary>
    /// <param name="path">Command path (name, group, subcommand separated by spaces).</param>
    /// <param name="options">Option values: strings, numbers, booleans, or ulong ids for users/channels/roles.</param>
    public Task<TestInteractionResult> RunCommandAsync(string path, params (string Name, object Value)[] options) =>
        RunCommandAsync(TestInvoker.Member, path, options);

    /// <summary>Runs a slash command as <paramref name="invoker"/>.</summary>
    /// <param name="invoker">Who runs it.</param>
    /// <param name="path">Command path.</param>
    /// <param name="options">Option values.</param>
    public Task<TestInteractionResult> RunCommandAsync(TestInvoker invoker, string path, params (string Name, object Value)[] options)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<CommandOptionValue> leaf = [.. options.Select(o => new CommandOptionValue(o.Name, TypeOf(o.Value), o.Value is ulong id ? id.ToString(CultureInfo.InvariantCulture) : o.Value))];
        IReadOnlyList<CommandOptionValue> top = parts.Length switch
        {
            1 => leaf,
            2 => [new CommandOptionValue(parts[1], CommandOptionType.SubCommand, null, leaf)],
            _ => [new CommandOptionValue(parts[1], CommandOptionType.SubCommandGroup, null, [new CommandOptionValue(parts[2], CommandOptionType.SubCommand, null, leaf)])],
        };
        return DispatchAsync(Base(invoker, InteractionType.ApplicationCommand) with { Command = new CommandInteractionData { Name = parts[0], Options = top } });
    }

    /// <summary>Clicks a button whose custom id is <paramref name="customId"/>.</summary>
    /// <param name="customId">The custom id.</param>
    /// <param name="invoker">Who clicks (default a member).</param>
    public Task<TestInteractionResult> ClickAsync(string customId, TestInvoker? invoker = null) =>
        DispatchAsync(Base(invoker ?? TestInvoker.Member, InteractionType.MessageComponent) with
        {
            Component = new ComponentInteractionData(customId, 2, []),
            Message = new InteractionMessage(Next(), _options.ChannelId),
        });

    /// <summary>Chooses values in a select menu.</summary>
    /// <param name="customId">The menu's custom id.</param>
    /// <param name="values">The chosen values.</param>
    /// <param name="invoker">Who chooses (default a member).</param>
    public Task<TestInteractionResult> SelectAsync(string customId, IReadOnlyList<string> values, TestInvoker? invoker = null) =>
        DispatchAsync(Base(invoker ?? TestInvoker.Member, InteractionType.MessageComponent) with
        {
            Component = new ComponentInteractionData(customId, 3, values),
            Message = new InteractionMessage(Next(), _options.ChannelId),
        });

    /// <summary>Submits a modal.</summary>
    /// <param name="customId">The modal's custom id.</param>
    /// <param name="fields">Text-input values by custom id.</param>
    /// <param name="invoker">Who submits (default a member).</param>
    public Task<TestInteractionResult> SubmitModalAsync(string customId, IReadOnlyDictionary<string, string> fields, TestInvoker? invoker = null) =>
        DispatchAsync(Base(invoker ?? TestInvoker.Member, InteractionType.ModalSubmit) with { Modal = new ModalInteractionData(customId, fields) });

    /// <summary>Publishes an event on the bus, as the gateway or the Webhooks plugin would.</summary>
    /// <typeparam name="TEvent">Event type.</typeparam>
    /// <param name="event">The event.</param>
    public ValueTask PublishAsync<TEvent>(TEvent @event)
        where TEvent : class => _services.GetRequiredService<NafflesBotKit.Events.IEventBus>().PublishAsync(@event);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<PluginManager>().UnloadAllAsync(CancellationToken.None).ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
        if (Naffles is not null)
        {
            await Naffles.DisposeAsync().ConfigureAwait(false);
        }

        if (Discord is not null)
        {
            await Discord.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment on some systems; it is a temp folder.
        }
    }

    private async Task<TestInteractionResult> DispatchAsync(Interaction interaction)
    {
        var responder = new RecordingTestResponder();
        var outcome = await _services.GetRequiredService<InteractionRouter>().DispatchAsync(interaction, responder, CancellationToken.None).ConfigureAwait(false);
        return new TestInteractionResult(outcome, responder.Sent);
    }

    private Interaction Base(TestInvoker invoker, InteractionType type) => new()
    {
        Id = Next(),
        ApplicationId = 1,
        Type = type,
        Token = "test-token-" + Next().ToString(CultureInfo.InvariantCulture),
        User = invoker.User,
        GuildId = _options.GuildId,
        ChannelId = _options.ChannelId,
        Member = new InteractionMember(invoker.Permissions, []),
        Locale = "en-US",
        AppPermissions = Permissions.ViewChannel | Permissions.SendMessages | Permissions.EmbedLinks | Permissions.ReadMessageHistory,
    };

    private static EmulatedUser Emulated(TestInvoker invoker) => new(invoker.User.Id, invoker.User.Username, invoker.User.GlobalName);

    private ulong Next() => (ulong)Interlocked.Increment(ref _nextId);

    private static CommandOptionType TypeOf(object value) => value switch
    {
        bool => CommandOptionType.Boolean,
        long or int or short => CommandOptionType.Integer,
        double or float or decimal => CommandOptionType.Number,
        ulong => CommandOptionType.Mentionable,
        _ => CommandOptionType.String,
    };

    private sealed class RecordingTestResponder : IInteractionResponder
    {
        private readonly ConcurrentQueue<TestResponse> _sent = new();
        private long _followups;

        public IReadOnlyList<TestResponse> Sent => [.. _sent];

        public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) =>
            Add(new TestResponse(TestResponseKind.Callback, response.Type, response.Message, response.Modal, response.Choices));

        public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) =>
            Add(new TestResponse(TestResponseKind.EditOriginal, null, message, null, null));

        public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) =>
            Add(new TestResponse(TestResponseKind.DeleteOriginal, null, null, null, null));

        public async ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
        {
            await Add(new TestResponse(TestResponseKind.Followup, null, message, null, null)).ConfigureAwait(false);
            return (ulong)Interlocked.Increment(ref _followups);
        }

        public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) =>
            Add(new TestResponse(TestResponseKind.EditFollowup, null, message, null, null));

        private ValueTask Add(TestResponse response)
        {
            _sent.Enqueue(response);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>What kind of response the bot sent.</summary>
public enum TestResponseKind
{
    /// <summary>The initial interaction callback.</summary>
    Callback,

    /// <summary>An edit of the original response (after a deferral).</summary>
    EditOriginal,

    /// <summary>The original response was deleted.</summary>
    DeleteOriginal,

    /// <summary>A follow-up message.</summary>
    Followup,

    /// <summary>An edit of a follow-up.</summary>
    EditFollowup,
}

/// <summary>One response the bot sent for an interaction.</summary>
/// <param name="Kind">What kind.</param>
/// <param name="CallbackType">For callbacks: the callback type.</param>
/// <param name="Message">The message, if any.</param>
/// <param name="Modal">The modal, for a modal callback.</param>
/// <param name="Choices">Autocomplete choices.</param>
public sealed record TestResponse(TestResponseKind Kind, InteractionCallbackType? CallbackType, MessagePayload? Message, ModalPayload? Modal, IReadOnlyList<AutocompleteChoice>? Choices)
{
    /// <summary>Whether the message is ephemeral.</summary>
    public bool IsEphemeral => Message is not null && (Message.Flags & MessageFlags.Ephemeral) != 0;
}

/// <summary>How the router handled an interaction and everything the bot answered.</summary>
/// <param name="Outcome">The router's outcome.</param>
/// <param name="Responses">Responses in the order sent.</param>
public sealed record TestInteractionResult(DispatchOutcome Outcome, IReadOnlyList<TestResponse> Responses)
{
    /// <summary>The last message the user sees (after any deferral), or null.</summary>
    public MessagePayload? FinalMessage => Responses.LastOrDefault(r => r.Message is not null && r.CallbackType != InteractionCallbackType.DeferredChannelMessageWithSource)?.Message;

    /// <summary>The final message's text content, or its first embed's title and description.</summary>
    public string Text => FinalMessage is { } m
        ? m.Content ?? string.Join("\n", m.Embeds.Select(e => $"{e.Title}\n{e.Description}"))
        : string.Empty;

    /// <summary>The modal shown, if any.</summary>
    public ModalPayload? Modal => Responses.FirstOrDefault(r => r.Modal is not null)?.Modal;
}
