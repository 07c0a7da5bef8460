using NafflesBotKit.Plugins.Diagnostics;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Tests.Plugins.Announcer;
using NafflesBotKit.Testing;

namespace NafflesBotKit.Runtime.Tests.Plugins;

public sealed class PluginTestHostTests
{
    [Fact]
    public async Task RunCommandAsync_FirstPartyPlugin_AnswersThroughRealRouter()
    {
        await using var host = await PluginTestHost.StartAsync(new DiagnosticsPlugin());

        var result = await host.RunCommandAsync("naffles-ping");

        Assert.Equal(DispatchOutcome.Handled, result.Outcome);
        Assert.Equal("🏓 Pong (naffles.diagnostics 1.0.0)", result.Text);
        Assert.True(result.Responses[0].IsEphemeral);
        Assert.Contains(host.Commands, c => c.Name == "naffles-admin");
        Assert.NotNull(host.Naffles);
    }

    [Fact]
    public async Task RunCommandAsync_OperatorCommandAsNonOperator_IsRefused()
    {
        await using var host = await PluginTestHost.StartAsync(new DiagnosticsPlugin(), new PluginTestHostOptions { WithNaffles = false });

        var result = await host.RunCommandAsync(TestInvoker.Admin, "naffles-admin plugins list");

        Assert.Contains("Operators only", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginPostsThroughIDiscordClient_LandInTheDiscordEmulator()
    {
        await using var host = await PluginTestHost.StartAsync(new AnnouncerPlugin(), new PluginTestHostOptions { WithNaffles = false });

        var result = await host.RunCommandAsync("announce", ("text", "Raffle opens at noon"));

        var posted = host.Discord!.LastMessage(host.Options.ChannelId);
        Assert.NotNull(posted);
        Assert.Equal("Raffle opens at noon", posted.Content);
        Assert.Equal($"Posted {posted.Id}.", result.Text);
        var dm = host.Discord.DmChannel(TestInvoker.Member.User.Id);
        Assert.NotNull(dm);
        Assert.Equal("You announced: Raffle opens at noon", host.Discord.LastMessage(dm.Value)?.Content);
    }

    [Fact]
    public async Task WithoutDiscord_PluginNeedingIDiscordClient_IsRefusedSayingWhy()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PluginTestHost.StartAsync(new AnnouncerPlugin(), new PluginTestHostOptions { WithNaffles = false, WithDiscord = false }));

        Assert.Contains("IDiscordClient", error.Message, StringComparison.Ordinal);
    }
}
