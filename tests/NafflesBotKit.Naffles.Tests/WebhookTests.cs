using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>The emulator's outgoing webhooks are signed as the seed's validateWebhookSignature expects.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "shared-webhook-secret";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
    private CapturingServer _receiver = null!;
    private NafflesEmulator _emulator = null!;
    private ClientHost _host = null!;

    public async Task InitializeAsync()
    {
        _receiver = await CapturingServer.StartAsync();
        _emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions
        {
            TimeProvider = _time,
            WebhookUrl = new Uri(_receiver.BaseUrl, "webhooks/naffles"),
            WebhookSecret = Secret,
        });
        _emulator.AddCommunity("c1", "Alpha");
        _emulator.AddUser("u1", "alice", discordId: "d1");
        _emulator.AddMembership("c1", "u1");
        _emulator.AddMembership("c1", "u2");
        _emulator.AddAllowlist("a1", "c1", "Genesis");
        _emulator.AddSocialTask("t1", "c1", "Follow");
        _host = ClientHost.Create(_emulator);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task EveryEvent_IsDelivered_WithAVerifyingSignature()
    {
        await _host.Api.SocialTasks.CompleteTaskAsync("t1", "u1");
        await _host.Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1", DiscordId = "d1" });
        _emulator.SetAllowlistStatus("a1", "completed");
        _emulator.SelectWinners("a1", ["u1"]);
        _emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "Alpha v2" });
        await _emulator.DrainWebhooksAsync();

        var received = _receiver.Received;
        Assert.Equal(5, received.Count);
        foreach (var delivery in received)
        {
            Assert.True(Verify(delivery, Secret), $"signature of {delivery.Path} does not verify");
            Assert.False(Verify(delivery, "another-secret"));
            Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), delivery.Headers["x-naffles-timestamp"]);
            Assert.True(Guid.TryParse(delivery.Headers["x-naffles-delivery"], out _));
        }

        Assert.Equal(5, received.Select(d => d.Headers["x-naffles-delivery"]).Distinct().Count());

        var task = Body(received.Single(d => d.Path == "/webhooks/naffles/task-completed"));
        Assert.Equal("t1", task.GetProperty("taskId").GetString());
        Assert.Equal("u1", task.GetProperty("userId").GetString());
        Assert.Equal(1, task.GetProperty("completionData").GetProperty("completedBy").GetInt32());
        Assert.Equal(0.5, task.GetProperty("completionData").GetProperty("completionRate").GetDouble());

        var updates = received.Where(d => d.Path == "/webhooks/naffles/allowlist-updated").Select(Body).ToList();
        Assert.Equal(["entry_added", "status_changed", "winners_selected"], updates.Select(u => u.GetProperty("updateType").GetString()));
        Assert.Equal(1, updates[0].GetProperty("data").GetProperty("newEntryCount").GetInt32());
        Assert.Equal("completed", updates[1].GetProperty("data").GetProperty("newStatus").GetString());
        Assert.Equal("u1", updates[2].GetProperty("data").GetProperty("winners")[0].GetProperty("userId").GetString());

        var community = Body(received.Single(d => d.Path == "/webhooks/naffles/community-updated"));
        Assert.Equal("Alpha v2", community.GetProperty("changes").GetProperty("name").GetString());
    }

    [Fact]
    public async Task RegisteredWebhook_ReceivesOnlyItsEvents_SignedWithItsSecret()
    {
        await using var emulator = await NafflesEmulator.StartAsync();
        emulator.AddCommunity("c1", "Alpha");
        emulator.AddSocialTask("t1", "c1", "Follow");
        emulator.AddAllowlist("a1", "c1", "Genesis");
        await using var host = ClientHost.Create(emulator);
        await host.Api.Webhooks.RegisterWebhookAsync(new Uri(_receiver.BaseUrl, "bot/hooks"), [NafflesWebhookEvents.TaskCompleted], "registered-secret");

        await host.Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u9" });
        await host.Api.SocialTasks.CompleteTaskAsync("t1", "u9");
        await emulator.DrainWebhooksAsync();

        var delivery = Assert.Single(_receiver.Received);
        Assert.Equal("/bot/hooks/task-completed", delivery.Path);
        Assert.True(Verify(delivery, "registered-secret"));
    }

    [Fact]
    public void Signer_MatchesAnIndependentComputation()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");

        var signature = NafflesWebhookSigner.Sign("k", 1700000000, body);

        // Known answer: HMAC-SHA256(key "k", "1700000000.{\"a\":1}").
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData("k"u8, "1700000000.{\"a\":1}"u8)), signature);
        Assert.Equal(64, signature.Length);
    }

    private static bool Verify(CapturingServer.Captured delivery, string secret)
    {
        // Independent of the emulator's signer: the seed's recipe over the raw body bytes.
        var data = Encoding.UTF8.GetBytes(delivery.Headers["x-naffles-timestamp"] + ".").Concat(delivery.Body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(delivery.Headers["x-naffles-signature"]));
    }

    private static JsonElement Body(CapturingServer.Captured delivery) => JsonDocument.Parse(delivery.Body).RootElement.Clone();
}
