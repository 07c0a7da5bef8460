using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NafflesBotKit.Host.Playground;

namespace NafflesBotKit.Host.Tests.Sandbox;

public sealed class PlaygroundLoopbackTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task LoopbackClient_ReachesThePlayground(string address)
    {
        var result = await FilterAsync(IPAddress.Parse(address));

        Assert.Equal("reached", result);
    }

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("10.0.0.7")]
    [InlineData(null)]
    public async Task OtherClient_GetsForbidden(string? address)
    {
        var result = await FilterAsync(address is null ? null : IPAddress.Parse(address));

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status403Forbidden, problem.StatusCode);
    }

    private static async Task<object?> FilterAsync(IPAddress? remote)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = remote;
        return await PlaygroundEndpoints.LoopbackOnly(EndpointFilterInvocationContext.Create(http), _ => ValueTask.FromResult<object?>("reached"));
    }
}
