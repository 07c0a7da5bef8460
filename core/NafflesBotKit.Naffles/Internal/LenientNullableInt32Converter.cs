using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>
/// Reads optional counts tolerantly: numbers, numeric strings, and otherwise <see langword="null"/>
/// (the published backend sends <c>winnerCount: "everyone"</c>). A malformed count must not make a
/// whole allowlist unreadable.
/// </summary>
internal sealed class LenientNullableInt32Converter : JsonConverter<int?>
{
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var number):
                return number;
            case JsonTokenType.String when int.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
