using System.Globalization;
using System.Text.Json;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Json;

/// <summary>
/// Parses a Discord interaction (the <c>d</c> of an INTERACTION_CREATE dispatch, or the body of an HTTP interaction)
/// into the transport-neutral <see cref="Interaction"/>. Missing optional fields and unknown fields are tolerated.
/// </summary>
public static class InteractionParser
{
    /// <summary>Parses raw UTF-8 JSON.</summary>
    /// <param name="utf8Json">The interaction object.</param>
    /// <exception cref="JsonException">The JSON is malformed or lacks id, type or token.</exception>
    public static Interaction Parse(ReadOnlySpan<byte> utf8Json) =>
        FromWire(JsonSerializer.Deserialize(utf8Json, DiscordJsonContext.Default.InteractionWire));

    /// <summary>Parses an already-parsed JSON element (e.g. a gateway payload's <c>d</c>).</summary>
    /// <param name="element">The interaction object.</param>
    /// <exception cref="JsonException">The JSON lacks id, type or token.</exception>
    public static Interaction Parse(JsonElement element) =>
        FromWire(element.Deserialize(DiscordJsonContext.Default.InteractionWire));

    internal static Interaction FromWire(InteractionWire? w)
    {
        if (w is null || w.Id is null || w.Token is null || w.Type == 0)
        {
            throw new JsonException("An interaction needs id, type and token.");
        }

        var user = ToUser(w.Member?.User ?? w.User) ?? new DiscordUser(0, string.Empty);
        var type = (InteractionType)w.Type;
        var data = w.Data;
        return new Interaction
        {
            Id = DiscordJson.ParseId(w.Id),
            ApplicationId = DiscordJson.ParseId(w.ApplicationId),
            Type = type,
            Token = w.Token,
            User = user,
            GuildId = DiscordJson.ParseOptionalId(w.GuildId),
            ChannelId = DiscordJson.ParseOptionalId(w.ChannelId ?? w.Channel?.Id),
            Member = w.Member is null ? null : ToMember(w.Member),
            Locale = w.Locale,
            GuildLocale = w.GuildLocale,
            AppPermissions = DiscordJson.ParsePermissions(w.AppPermissions),
            Command = data is not null && type is InteractionType.ApplicationCommand or InteractionType.ApplicationCommandAutocomplete
                ? ToCommand(data)
                : null,
            Component = data is not null && type == InteractionType.MessageComponent
                ? new ComponentInteractionData(data.CustomId ?? string.Empty, data.ComponentType ?? 0, data.Values ?? [])
                : null,
            Modal = data is not null && type == InteractionType.ModalSubmit
                ? new ModalInteractionData(data.CustomId ?? string.Empty, ModalFields(data.Components))
                : null,
            Message = w.Message?.Id is null
                ? null
                : new InteractionMessage(
                    DiscordJson.ParseId(w.Message.Id),
                    DiscordJson.ParseId(w.Message.ChannelId ?? w.ChannelId),
                    ((w.Message.Flags ?? 0) & 64) != 0),
        };
    }

    private static CommandInteractionData ToCommand(InteractionDataWire d) => new()
    {
        Id = DiscordJson.ParseId(d.Id),
        Name = d.Name ?? string.Empty,
        CommandType = d.Type ?? 1,
        Options = ToOptions(d.Options),
        Resolved = d.Resolved is null ? null : ToResolved(d.Resolved),
        GuildId = DiscordJson.ParseOptionalId(d.GuildId),
        TargetId = DiscordJson.ParseOptionalId(d.TargetId),
    };

    private static List<CommandOptionValue> ToOptions(List<OptionValueWire>? options) =>
        options is null
            ? []
            : options.Select(o => new CommandOptionValue(
                o.Name,
                (CommandOptionType)o.Type,
                OptionValue((CommandOptionType)o.Type, o.Value, o.Focused == true),
                o.Options is null ? null : ToOptions(o.Options),
                o.Focused == true)).ToList();

    /// <summary>
    /// string for text, snowflakes and attachments; long for integers; double for numbers; bool for booleans.
    /// A focused (autocomplete) option holds the partial text the user typed, so it stays a string unless it parses.
    /// </summary>
    private static object? OptionValue(CommandOptionType type, JsonElement? value, bool focused)
    {
        if (value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        switch (type)
        {
            case CommandOptionType.Integer when v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l):
                return l;
            case CommandOptionType.Integer when v.ValueKind == JsonValueKind.Number:
                return (long)v.GetDouble();
            case CommandOptionType.Integer when !focused && v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ls):
                return ls;
            case CommandOptionType.Number when v.ValueKind == JsonValueKind.Number:
                return v.GetDouble();
            case CommandOptionType.Number when !focused && v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ds):
                return ds;
            case CommandOptionType.Boolean when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return v.GetBoolean();
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => v.GetRawText(),
        };
    }

    private static ResolvedData ToResolved(ResolvedWire r) => new()
    {
        Users = (r.Users ?? []).ToDictionary(p => DiscordJson.ParseId(p.Key), p => ToUser(p.Value) ?? new DiscordUser(DiscordJson.ParseId(p.Key), string.Empty)),
        Members = (r.Members ?? []).ToDictionary(p => DiscordJson.ParseId(p.Key), p => ToMember(p.Value)),
        Roles = (r.Roles ?? []).ToDictionary(p => DiscordJson.ParseId(p.Key), p => new DiscordRole(DiscordJson.ParseId(p.Value.Id ?? p.Key), p.Value.Name ?? string.Empty, DiscordJson.ParsePermissions(p.Value.Permissions))),
        Channels = (r.Channels ?? []).ToDictionary(p => DiscordJson.ParseId(p.Key), p => new DiscordChannel(DiscordJson.ParseId(p.Value.Id ?? p.Key), p.Value.Name, p.Value.Type ?? 0, p.Value.Permissions is null ? null : DiscordJson.ParsePermissions(p.Value.Permissions))),
    };

    internal static DiscordUser? ToUser(UserWire? u) =>
        u?.Id is null ? null : new DiscordUser(DiscordJson.ParseId(u.Id), u.Username ?? string.Empty, u.GlobalName, u.Avatar, u.Bot == true);

    internal static InteractionMember ToMember(MemberWire m) => new(
        DiscordJson.ParsePermissions(m.Permissions),
        (m.Roles ?? []).Select(DiscordJson.ParseId).ToList(),
        m.Nick,
        ParseTime(m.JoinedAt));

    internal static DateTimeOffset? ParseTime(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>
    /// Text inputs by custom id: inside action rows (type 1), inside label components (type 18, one <c>component</c>),
    /// or at the top level; select menus inside labels contribute their values joined by commas.
    /// </summary>
    private static Dictionary<string, string> ModalFields(List<ComponentWire>? components)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect(components, fields);
        return fields;

        static void Collect(IEnumerable<ComponentWire>? list, Dictionary<string, string> fields)
        {
            foreach (var c in list ?? [])
            {
                if (c.CustomId is not null && (c.Value is not null || c.Values is not null))
                {
                    fields[c.CustomId] = c.Value ?? string.Join(',', c.Values!);
                }

                Collect(c.Components, fields);
                if (c.Component is not null)
                {
                    Collect([c.Component], fields);
                }
            }
        }
    }
}
