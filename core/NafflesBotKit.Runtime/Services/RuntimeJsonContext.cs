using System.Text.Json.Serialization;

namespace NafflesBotKit.Runtime.Services;

/// <summary>JSON metadata of what the host itself keeps in the store.</summary>
[JsonSerializable(typeof(ulong?))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
