using System.Text.Json.Serialization;

namespace NafflesBotKit.Runtime.Tests.Services;

public sealed record MessageMapping(ulong ChannelId, ulong MessageId, string TaskId);

public sealed record GuildSettings(string Prefix, bool Enabled, IReadOnlyList<string> Channels);

/// <summary>Test data crosses JSON through source generation, as plugin data must.</summary>
[JsonSerializable(typeof(MessageMapping))]
[JsonSerializable(typeof(GuildSettings))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
public sealed partial class TestJsonContext : JsonSerializerContext;
