using NafflesBotKit.Testing;
using NafflesBotKit.Transport;

namespace Company.HelloPlugin.Tests;

public sealed class HelloPluginTests : IAsyncLifetime
{
    private PluginTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PluginTestHost.StartAsync(new HelloPlugin());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Hello_GreetsWithButtons()
    {
        var result = await _host.RunCommandAsync("hello-command", ("name", "Naffles"), ("times", 2L));

        Assert.Contains("Hello, Naffles! Hello, Naffles!", result.Text, StringComparison.Ordinal);
        var buttons = result.FinalMessage!.Components.Single().Components;
        Assert.Equal(2, buttons.Count);
    }

    [Fact]
    public async Task Hello_TimesOutOfRange_IsRejected()
    {
        var result = await _host.RunCommandAsync("hello-command", ("name", "x"), ("times", 9L));

        Assert.Contains("at most 5", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaveButton_CapturesTheName()
    {
        var result = await _host.ClickAsync("hello:wave:Naffles");

        Assert.EndsWith("waves back at Naffles!", result.Text, StringComparison.Ordinal);
        Assert.True(result.Responses[0].IsEphemeral);
    }

    [Fact]
    public async Task FeedbackButton_ShowsModal_AndSubmissionIsThanked()
    {
        var shown = await _host.ClickAsync("hello:feedback");
        Assert.Equal(InteractionCallbackType.Modal, shown.Responses[0].CallbackType);
        Assert.Equal("hello:feedback:submit", shown.Modal!.CustomId);

        var submitted = await _host.SubmitModalAsync("hello:feedback:submit", new Dictionary<string, string> { ["rating"] = "5", ["comment"] = "great bot" });

        Assert.Equal("Thanks! You rated us 5/5.", submitted.Text);
        Assert.True(submitted.Responses[0].IsEphemeral);

        // What the bot posted in the channel, as the Discord emulator received it.
        var posted = _host.Discord!.LastMessage(_host.Options.ChannelId);
        Assert.Equal("📝 member rated us 5/5: great bot", posted?.Content);
    }

    [Fact]
    public void Manifest_DeclaresCommands() =>
        Assert.Contains(_host.Commands, c => c.Name == "hello-command");
}
