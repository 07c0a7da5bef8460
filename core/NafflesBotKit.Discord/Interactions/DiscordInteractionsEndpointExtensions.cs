using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Discord's HTTP interactions endpoint.</summary>
public static class DiscordInteractionsEndpointExtensions
{
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>
    /// Maps <c>POST {pattern}</c> as the Discord interactions endpoint: verifies the Ed25519 signature over the raw body
    /// (401 otherwise, before any parsing), answers PING with PONG, and hands everything else to the registered
    /// <see cref="IInteractionDispatcher"/> whose first response is written inline as the HTTP response. If nothing
    /// answers within <see cref="DiscordOptions.InteractionResponseDeadline"/>, the endpoint answers with a deferral.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path (the Interactions Endpoint URL set in the Developer Portal).</param>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string pattern = "/interactions")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IInteractionDispatcher>() is null)
        {
            throw new InvalidOperationException("MapDiscordInteractions needs an IInteractionDispatcher service (e.g. one that calls InteractionRouter.DispatchAsync).");
        }

        return endpoints.MapPost(pattern, HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var verifier = services.GetRequiredService<InteractionSignatureVerifier>();

        // The raw bytes come first: the signature covers them exactly as received.
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null
            || !verifier.Verify(context.Request.Headers["X-Signature-Ed25519"].ToString(), context.Request.Headers["X-Signature-Timestamp"].ToString(), body))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("invalid request signature", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Interaction interaction;
        try
        {
            if (PeekType(body) == (int)InteractionType.Ping)
            {
                await WriteJsonAsync(context, """{"type":1}"""u8.ToArray()).ConfigureAwait(false);
                return;
            }

            interaction = InteractionParser.Parse(body);
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var options = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("NafflesBotKit.Discord.Interactions");
        var dispatcher = services.GetRequiredService<IInteractionDispatcher>();
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var responder = new HttpInteractionResponder(new RestInteractionResponder(services.GetRequiredService<DiscordRestClient>()));

        var dispatch = Task.Run(async () => await dispatcher.DispatchAsync(interaction, responder, stopping).ConfigureAwait(false), CancellationToken.None);
        _ = dispatch.ContinueWith(
            t => logger.LogError(t.Exception, "Dispatching interaction {InteractionId} failed", interaction.Id),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var deadline = Task.Delay(options.InteractionResponseDeadline, time, deadlineCts.Token);
        await Task.WhenAny(responder.FirstResponse, dispatch, deadline).ConfigureAwait(false);
        await deadlineCts.CancelAsync().ConfigureAwait(false);

        InteractionResponse response;
        var gaveUp = dispatch.IsCompleted;
        var own = gaveUp
            ? new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new MessagePayload { Content = "Something went wrong while handling this.", Flags = MessageFlags.Ephemeral })
            : responder.PreferredDeferral ?? DeferralFor(interaction);
        if (responder.FirstResponse.IsCompletedSuccessfully)
        {
            response = responder.FirstResponse.Result;
        }
        else if (responder.TryDeferByEndpoint(own))
        {
            response = own;
            if (!gaveUp)
            {
                logger.LogWarning("Interaction {InteractionId} was not answered within {Deadline}; deferred by the endpoint ({Deferral})", interaction.Id, options.InteractionResponseDeadline, own.Type);
            }
        }
        else
        {
            response = await responder.FirstResponse.ConfigureAwait(false);
        }

        try
        {
            await WriteResponseAsync(context, response).ConfigureAwait(false);
            await context.Response.CompleteAsync().ConfigureAwait(false);
            responder.MarkSent();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            responder.MarkFailed(e);
            throw;
        }
    }

    private static InteractionResponse DeferralFor(Interaction interaction) => interaction.Type switch
    {
        InteractionType.MessageComponent => new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage),
        InteractionType.ApplicationCommandAutocomplete => new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, Choices: []),
        _ => new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource),
    };

    private static async Task WriteResponseAsync(HttpContext context, InteractionResponse response)
    {
        var json = DiscordJson.SerializeInteractionResponse(response);
        var files = response.Message?.Files ?? [];
        if (files.Count == 0)
        {
            await WriteJsonAsync(context, json).ConfigureAwait(false);
            return;
        }

        using var content = DiscordRestClient.Body(json, files);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = content.Headers.ContentType!.ToString();
        await content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static int PeekType(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An interaction is a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.Number)
            {
                return reader.GetInt32();
            }

            reader.Skip();
        }

        return 0;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
