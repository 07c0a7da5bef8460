using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>An emulator plus a service provider whose Discord client talks to it through the OpenAPI validator.</summary>
internal sealed class DiscordTestContext : IAsyncDisposable
{
    private DiscordTestContext(DiscordEmulator emulator, ServiceProvider services, TimeProvider time)
    {
        Emulator = emulator;
        Services = services;
        Time = time;
    }

    public DiscordEmulator Emulator { get; }

    /// <summary>What the OpenAPI validator saw; a violation also fails the request itself.</summary>
    public ValidationLog Validation { get; private init; } = new();

    public ServiceProvider Services { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public DiscordRestClient Rest => Services.GetRequiredService<DiscordRestClient>();

    /// <summary>A fake clock in 2026 (Discord snowflakes need a time after 2015).</summary>
    public static FakeTimeProvider NewFakeTime() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public static async Task<DiscordTestContext> StartAsync(TimeProvider? time = null, DiscordEmulatorOptions? options = null, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        time ??= TimeProvider.System;
        var emulator = new DiscordEmulator(options is null
            ? new DiscordEmulatorOptions { Time = time }
            : new DiscordEmulatorOptions
            {
                Time = time,
                GlobalLimitPerSecond = options.GlobalLimitPerSecond,
                DefaultRouteLimit = options.DefaultRouteLimit,
                DefaultRouteWindow = options.DefaultRouteWindow,
                EnforceInteractionDeadline = options.EnforceInteractionDeadline,
            });
        var urls = await emulator.StartAsync();
        var settings = Settings(emulator, urls);
        configure?.Invoke(settings);
        var collection = new ServiceCollection();
        var log = new ValidationLog();
        Register(collection, settings, time, urls.RestBaseUrl.ToString(), log);
        services?.Invoke(collection);
        return new DiscordTestContext(emulator, collection.BuildServiceProvider(validateScopes: true), time) { Validation = log };
    }

    public static Dictionary<string, string?> Settings(DiscordEmulator emulator, DiscordEmulatorUrls urls) => new()
    {
        ["Discord:Token"] = emulator.BotToken,
        ["Discord:ApiBaseUrl"] = urls.RestBaseUrl.ToString(),
        ["Discord:ClientId"] = emulator.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Discord:ClientSecret"] = emulator.Options.ClientSecret,
        ["Discord:RedirectUri"] = emulator.Options.RedirectUris[0],
        ["Discord:PublicKey"] = emulator.PublicKeyHex,
        ["Discord:CommandSync:Mode"] = "Off",
    };

    /// <summary>AddDiscordRest plus the OpenAPI validator in front of every Discord request.</summary>
    public static void Register(IServiceCollection collection, Dictionary<string, string?> settings, TimeProvider time, string apiBaseUrl, ValidationLog log)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        collection.AddLogging();
        collection.AddSingleton(time);
        collection.AddDiscordRest(configuration);
        collection.AddHttpClient(DiscordRestClient.HttpClientName).AddHttpMessageHandler(() => new OpenApiValidatingHandler(apiBaseUrl.TrimEnd('/'), log));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
