using System.Text;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Discord.Tests.Support;

namespace NafflesBotKit.Discord.Tests.Rest;

/// <summary>The validator every test request passes through really rejects what Discord would reject.</summary>
public sealed class OpenApiValidationTests
{
    private static async Task<OpenApiViolationException> SendRawAsync(string method, string path, string? json, string contentType = "application/json")
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        return await Assert.ThrowsAsync<OpenApiViolationException>(async () =>
            await ctx.Rest.SendAsync(new HttpMethod(method), path, json is null ? null : () => new StringContent(json, Encoding.UTF8, contentType), CancellationToken.None));
    }

    [Fact]
    public async Task Validator_UnknownOperation_Rejected()
    {
        var error = await SendRawAsync("POST", "/channels/123456789012345678/teleport", "{}");
        Assert.Contains("not an operation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_BodyAgainstSchema_RejectsWrongTypes()
    {
        var error = await SendRawAsync("POST", "/channels/123456789012345678/messages", """{"content": 5, "flags": "x"}""");
        Assert.Contains("content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_DocumentedLimits_RejectsContentOver2000()
    {
        var error = await SendRawAsync("POST", "/channels/123456789012345678/messages", $$"""{"content": "{{new string('a', 2001)}}"}""");
        Assert.Contains("2000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_DocumentedLimits_RejectsSixRows()
    {
        var row = """{"type":1,"components":[{"type":2,"style":1,"label":"x","custom_id":"ID"}]}""";
        var rows = string.Join(',', Enumerable.Range(0, 6).Select(i => row.Replace("ID", "b" + i, StringComparison.Ordinal)));
        var error = await SendRawAsync("POST", "/channels/123456789012345678/messages", $$"""{"content":"x","components":[{{rows}}]}""");
        Assert.Contains("5 action rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_CallbackWithUnknownShape_Rejected()
    {
        var error = await SendRawAsync("POST", "/interactions/123456789012345678/tok/callback", """{"type":"four"}""");
        Assert.Contains("callback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_UnknownQueryParameter_Rejected()
    {
        var error = await SendRawAsync("POST", "/webhooks/123456789012345678/tok?wait=true&colour=red", """{"content":"x"}""");
        Assert.Contains("query parameter 'colour'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'wait'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_IsFoundBesideTheRepository()
    {
        Assert.EndsWith(Path.Combine("shared", "discord", "openapi.json"), OpenApiSpec.FindSpecPath(), StringComparison.Ordinal);
        Assert.NotNull(OpenApiSpec.Load().Find("PUT", "/applications/1/guilds/2/commands"));
        Assert.Equal("/webhooks/{webhook_id}/{webhook_token}/messages/@original", OpenApiSpec.Load().Find("PATCH", "/webhooks/1/abc/messages/@original")!.Value.Template);
    }
}
