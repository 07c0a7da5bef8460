using System.Text.Json.Serialization;

namespace NafflesBotKit.Plugins.Tests.Support;

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
