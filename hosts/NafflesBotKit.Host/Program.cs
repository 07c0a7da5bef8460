using NafflesBotKit.Host;

return await BotHost.RunAsync(args).ConfigureAwait(false);
