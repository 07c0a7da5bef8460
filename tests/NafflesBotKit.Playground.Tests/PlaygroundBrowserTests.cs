using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NafflesBotKit.Playground.Tests;

/// <summary>
/// The sandbox playground in a real browser, against the real host running every first-party plugin on the in-process
/// emulators: an admin links the community, creates a task through its modal and connects an allowlist; a member
/// completes the task and enters the allowlist; Naffles events fired from the Simulate panel (and from outside the
/// page) arrive as signed webhooks and the page updates live.
/// </summary>
public sealed class PlaygroundBrowserTests : IAsyncLifetime
{
    private SandboxHost _host = null!;
    private Chromium _chromium = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _host = await SandboxHost.StartAsync();
        _chromium = await Chromium.LaunchAsync();
        _page = await _chromium.Context.NewPageAsync();
        _page.SetDefaultTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task AdminAndMember_LinkCreateCompleteConnectEnterAndWinners_ThePageShowsEachStep()
    {
        var page = _page;
        await page.GotoAsync(_host.Playground.AbsoluteUri);

        // The demo channel as Discord shows it: the welcome message and the allowlist the sandbox posted at start.
        var vip = Post("VIP Mint Allowlist");
        await Expect(vip).ToBeVisibleAsync();
        await Expect(vip.Locator(".embed")).ToHaveAttributeAsync("data-color", "#ec4899");
        await Expect(vip.Locator("button", new() { HasText = "Enter Allowlist" })).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveClassAsync("live on");
        await ShootAsync("playground-channel.png");

        // Admin: unlink, then link the community again (replies only the admin sees).
        await RunCommandAsync("naffles-unlink-community");
        await Expect(Ephemeral("Community Unlinked")).ToBeVisibleAsync();
        await RunCommandAsync("naffles-link-community", ("community_id", "demo-community"));
        var linked = Ephemeral("Community Linked Successfully!");
        await Expect(linked).ToBeVisibleAsync();
        await Expect(linked).ToContainTextAsync("Only you can see this");
        await Expect(linked.Locator(".reply-line")).ToContainTextAsync("Alex (admin) used /naffles-link-community");

        // Admin: create a task; the bot answers with its modal.
        await OpenCommandAsync("naffles-create-task", ("type", "twitter_follow"), ("title", "Sandbox launch party"), ("description", "Follow us for the launch"), ("points", "75"));
        await ShootAsync("playground-command.png");
        await page.Locator("#command-send").ClickAsync();
        await Expect(page.Locator("#modal-backdrop")).ToBeVisibleAsync();
        await Expect(page.Locator("#modal-title")).ToHaveTextAsync("Create Social Task");
        await page.Locator("[data-field=\"twitter_username\"]").FillAsync("naffles");
        await ShootAsync("playground-modal.png");
        await page.Locator("#modal-submit").ClickAsync();
        await Expect(page.Locator("#modal-backdrop")).ToBeHiddenAsync();
        var task = Post("Sandbox launch party");
        await Expect(task).ToBeVisibleAsync();
        await Expect(task).ToContainTextAsync("75 points");

        // Admin: connect the Genesis allowlist.
        await RunCommandAsync("naffles-connect-allowlist", ("allowlist_id", "al-genesis"));
        await Expect(Ephemeral("Allowlist Connected")).ToBeVisibleAsync();
        var genesis = Post("Genesis Pass Allowlist");
        await Expect(genesis).ToBeVisibleAsync();
        await Expect(genesis).ToContainTextAsync("0/500");

        // Member: the admin's private replies are gone; complete the task and enter the allowlist.
        await page.Locator("#as-member").ClickAsync();
        await Expect(page.Locator("#command-input")).ToHaveAttributeAsync("placeholder", "Type / to run a slash command as Mia (member)");
        await Expect(page.Locator("article.message[data-ephemeral=\"true\"]")).ToHaveCountAsync(0);
        await task.Locator("button", new() { HasText = "Complete Task" }).ClickAsync();
        var completed = Ephemeral("Task Completed!");
        await Expect(completed).ToBeVisibleAsync();
        await Expect(completed).ToContainTextAsync("earned 75 points");
        await Expect(task).ToContainTextAsync("1 user");
        await genesis.Locator("button", new() { HasText = "Enter Allowlist" }).ClickAsync();
        await Expect(Ephemeral("Allowlist Entry Successful!")).ToBeVisibleAsync();
        await Expect(genesis).ToContainTextAsync("1/500");
        await ShootAsync("playground-member.png");

        // A Naffles event from outside the page: the live stream updates it without any click.
        using (var entry = await _host.Http.PostAsJsonAsync(new Uri("/playground/api/simulate", UriKind.Relative), new { @event = "allowlist-entry", allowlistId = "al-genesis" }))
        {
            entry.EnsureSuccessStatusCode();
        }

        await Expect(genesis).ToContainTextAsync("2/500");

        // The Simulate panel: a completion on naffles.com, then the draw.
        await page.Locator("#sim-task").SelectOptionAsync(new SelectOptionValue { Label = "Sandbox launch party (1 done)" });
        await page.Locator("#sim-complete").ClickAsync();
        await Expect(page.Locator("#sim-result")).ToContainTextAsync("completed task");
        await Expect(task).ToContainTextAsync("2 users");
        await page.Locator("#sim-allowlist").SelectOptionAsync("al-genesis");
        await page.Locator("#sim-winners").ClickAsync();
        await Expect(page.Locator("#sim-result")).ToContainTextAsync("winner(s) drawn from 2 entries of al-genesis");
        await Expect(genesis).ToContainTextAsync("Winners Selected");
        await Expect(genesis.Locator("button", new() { HasText = "Entries Closed" })).ToBeDisabledAsync();
        var announcement = page.Locator("article.message", new() { HasText = "Winners of Genesis Pass Allowlist" });
        await Expect(announcement).ToBeVisibleAsync();
        await Expect(announcement).ToContainTextAsync("@Mia (member)");
        await Expect(page.Locator("#webhooks li").First).ToContainTextAsync("200 allowlist-updated / winners_selected");
        await ShootAsync("playground-winners.png");
    }

    [Fact]
    public async Task CommandBox_ListsRegisteredCommandsWithOptions_AndAMemberIsRefusedAnAdminCommand()
    {
        var page = _page;
        await page.GotoAsync(_host.Playground.AbsoluteUri);
        await Expect(Post("VIP Mint Allowlist")).ToBeVisibleAsync();

        await page.Locator("#command-input").ClickAsync();
        await page.Locator("#command-input").FillAsync("/naffles-");
        var menu = page.Locator("#command-menu [data-command]");
        await Expect(menu.Filter(new() { HasText = "/naffles-create-task" })).ToBeVisibleAsync();
        await Expect(menu.Filter(new() { HasText = "/naffles-admin plugins list" })).ToBeVisibleAsync();
        Assert.True(await menu.CountAsync() >= 15, $"{await menu.CountAsync()} commands in the menu");
        await ShootAsync("playground-commands.png");

        await page.Locator("#command-input").FillAsync("/naffles-create");
        await page.Locator("[data-command=\"naffles-create-task\"]").ClickAsync();
        var type = page.Locator("#command-options [data-option=\"type\"] option");
        await Expect(type).ToHaveTextAsync(["Twitter Follow", "Discord Join", "Telegram Join", "Custom Task"]);
        await Expect(page.Locator("#command-options [data-option=\"channel\"] option").Last).ToHaveTextAsync("#general");
        await page.Keyboard.PressAsync("Escape");

        // A select menu that works: the help topics (an ephemeral message the bot edits in place).
        await RunCommandAsync("naffles-help");
        var help = Ephemeral("Naffles Bot Help");
        await Expect(help).ToBeVisibleAsync();
        await help.Locator("select[data-custom-id=\"help:topic\"]").SelectOptionAsync("troubleshooting");
        var troubleshooting = Ephemeral("Troubleshooting");
        await Expect(troubleshooting).ToBeVisibleAsync();
        await Expect(troubleshooting).ToContainTextAsync("(edited)");
        await Expect(Ephemeral("Naffles Bot Help")).ToHaveCountAsync(0);

        await page.Locator("#as-member").ClickAsync();
        await RunCommandAsync("naffles-connect-allowlist", ("allowlist_id", "al-genesis"));
        var refused = page.Locator("article.message[data-ephemeral=\"true\"]");
        await Expect(refused).ToHaveCountAsync(1);
        await Expect(refused).ToContainTextAsync("Manage Server");
        await Expect(Post("Genesis Pass Allowlist")).ToHaveCountAsync(0);
    }

    private ILocator Post(string title) =>
        _page.Locator("article.message[data-ephemeral=\"false\"]").Filter(new() { Has = _page.Locator(".embed-title", new() { HasText = title }) });

    private ILocator Ephemeral(string title) =>
        _page.Locator("article.message[data-ephemeral=\"true\"]").Filter(new() { Has = _page.Locator(".embed-title", new() { HasText = title }) });

    private async Task RunCommandAsync(string command, params (string Option, string Value)[] options)
    {
        await OpenCommandAsync(command, options);
        await _page.Locator("#command-send").ClickAsync();
    }

    private async Task OpenCommandAsync(string command, params (string Option, string Value)[] options)
    {
        var input = _page.Locator("#command-input");
        await input.ClickAsync();
        await input.FillAsync("/" + command);
        await _page.Locator($"#command-menu [data-command=\"{command}\"]").ClickAsync();
        foreach (var (name, value) in options)
        {
            var field = _page.Locator($"#command-options [data-option=\"{name}\"]");
            if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT")
            {
                await field.SelectOptionAsync(value);
            }
            else
            {
                await field.FillAsync(value);
            }
        }
    }

    /// <summary>Saves a screenshot next to the test binaries, and into NBK_SCREENSHOTS_DIR when set (see docs/sandbox.md).</summary>
    private async Task ShootAsync(string name)
    {
        var local = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = local });
        if (Environment.GetEnvironmentVariable("NBK_SCREENSHOTS_DIR") is { Length: > 0 } target)
        {
            var dir = Path.IsPathRooted(target) ? target : Path.Combine(SandboxHost.RepoRoot, target);
            Directory.CreateDirectory(dir);
            File.Copy(local, Path.Combine(dir, name), overwrite: true);
        }
    }
}
