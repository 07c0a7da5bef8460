using System.Globalization;
using System.Reflection;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>A value from Discord could not be bound to a handler's typed parameters.</summary>
public sealed class BindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BindingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, phrased for the user.</param>
    public BindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, phrased for the user.</param>
    /// <param name="inner">Cause.</param>
    public BindingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>One bound option of a command's options class.</summary>
internal sealed record OptionSlot(PropertyInfo Property, OptionAttribute Attribute, CommandOptionType Type, bool Required, Type ValueType, IReadOnlyList<CommandChoiceDefinition> Choices);

/// <summary>Binds slash-command options to an options class; also describes them for Discord.</summary>
internal sealed class OptionBinder
{
    private readonly Type _optionsType;
    private readonly OptionSlot[] _slots;

    private OptionBinder(Type optionsType, OptionSlot[] slots)
    {
        _optionsType = optionsType;
        _slots = slots;
    }

    public IReadOnlyList<OptionSlot> Slots => _slots;

    public static OptionBinder Create(Type optionsType)
    {
        if (optionsType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException($"Options class {optionsType.FullName} needs a public parameterless constructor.");
        }

        // A local context: NullabilityInfoContext caches members, and a static one would pin plugin types.
        var nullability = new NullabilityInfoContext();
        var slots = new List<OptionSlot>();
        foreach (var property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var attribute = property.GetCustomAttribute<OptionAttribute>();
            if (attribute is null)
            {
                continue;
            }

            if (property.SetMethod is null)
            {
                throw new InvalidOperationException($"Option property {optionsType.Name}.{property.Name} needs a setter (set or init).");
            }

            var underlying = Nullable.GetUnderlyingType(property.PropertyType);
            var valueType = underlying ?? property.PropertyType;
            var required = underlying is null && (valueType.IsValueType || nullability.Create(property).WriteState != NullabilityState.Nullable);
            var type = attribute.Type != 0 ? attribute.Type : InferType(valueType, optionsType, property);
            var choices = property.GetCustomAttributes<ChoiceAttribute>()
                .Select(c => new CommandChoiceDefinition(c.Name, c.Value))
                .ToList();
            if (choices.Count == 0 && valueType.IsEnum)
            {
                choices = Enum.GetNames(valueType).Select(n => new CommandChoiceDefinition(n, n)).ToList();
            }

            slots.Add(new OptionSlot(property, attribute, type, required, valueType, choices));
        }

        // Discord requires required options before optional ones.
        return new OptionBinder(optionsType, [.. slots.Where(s => s.Required), .. slots.Where(s => !s.Required)]);
    }

    public IReadOnlyList<CommandOptionDefinition> Describe() => _slots.Select(s => new CommandOptionDefinition
    {
        Type = s.Type,
        Name = s.Attribute.Name,
        Description = s.Attribute.Description,
        Required = s.Required,
        Choices = s.Choices,
        MinValue = double.IsNaN(s.Attribute.MinValue) ? null : s.Attribute.MinValue,
        MaxValue = double.IsNaN(s.Attribute.MaxValue) ? null : s.Attribute.MaxValue,
        MinLength = s.Attribute.MinLength >= 0 ? s.Attribute.MinLength : null,
        MaxLength = s.Attribute.MaxLength >= 0 ? s.Attribute.MaxLength : null,
        Autocomplete = s.Attribute.Autocomplete,
        ChannelTypes = s.Attribute.ChannelTypes,
    }).ToList();

    public object Bind(IReadOnlyList<CommandOptionValue> values, ResolvedData? resolved)
    {
        var instance = Activator.CreateInstance(_optionsType)!;
        foreach (var slot in _slots)
        {
            var value = values.FirstOrDefault(v => string.Equals(v.Name, slot.Attribute.Name, StringComparison.Ordinal));
            if (value?.Value is null)
            {
                if (slot.Required)
                {
                    throw new BindingException($"The option `{slot.Attribute.Name}` is required.");
                }

                continue;
            }

            slot.Property.SetValue(instance, Convert(slot, value.Value, resolved));
        }

        return instance;
    }

    private static object? Convert(OptionSlot slot, object raw, ResolvedData? resolved)
    {
        var name = slot.Attribute.Name;
        var target = slot.ValueType;
        try
        {
            if (target == typeof(string))
            {
                var s = System.Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty;
                CheckLength(slot, s);
                CheckChoice(slot, s);
                return s;
            }

            if (target == typeof(bool))
            {
                return raw is bool b ? b : bool.Parse(System.Convert.ToString(raw, CultureInfo.InvariantCulture)!);
            }

            if (target.IsEnum)
            {
                var s = System.Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                return Enum.TryParse(target, s, ignoreCase: true, out var e) && Enum.IsDefined(target, e!)
                    ? e
                    : throw new BindingException($"`{s}` is not a valid choice for `{name}`.");
            }

            if (target == typeof(DiscordUser))
            {
                var id = Snowflake(raw);
                return resolved?.Users.TryGetValue(id, out var u) == true ? u : new DiscordUser(id, string.Empty);
            }

            if (target == typeof(DiscordChannel))
            {
                var id = Snowflake(raw);
                return resolved?.Channels.TryGetValue(id, out var c) == true ? c : new DiscordChannel(id, null);
            }

            if (target == typeof(DiscordRole))
            {
                var id = Snowflake(raw);
                return resolved?.Roles.TryGetValue(id, out var r) == true ? r : new DiscordRole(id, string.Empty);
            }

            if (target == typeof(ulong))
            {
                return Snowflake(raw);
            }

            if (target == typeof(long) || target == typeof(int) || target == typeof(short))
            {
                var d = System.Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                if (d != Math.Floor(d))
                {
                    throw new BindingException($"`{name}` must be a whole number.");
                }

                CheckRange(slot, d);
                CheckChoice(slot, (long)d);
                return System.Convert.ChangeType((long)d, target, CultureInfo.InvariantCulture);
            }

            if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
            {
                var d = System.Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                CheckRange(slot, d);
                return System.Convert.ChangeType(d, target, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new BindingException($"`{raw}` is not a valid value for `{name}`.", ex);
        }

        throw new BindingException($"Option `{name}` has an unsupported type {target.Name}.");
    }

    private static ulong Snowflake(object raw) => raw switch
    {
        ulong u => u,
        long l when l >= 0 => (ulong)l,
        _ => ulong.Parse(System.Convert.ToString(raw, CultureInfo.InvariantCulture)!, NumberStyles.None, CultureInfo.InvariantCulture),
    };

    private static void CheckRange(OptionSlot slot, double value)
    {
        var a = slot.Attribute;
        if (!double.IsNaN(a.MinValue) && value < a.MinValue)
        {
            throw new BindingException($"`{a.Name}` must be at least {a.MinValue.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!double.IsNaN(a.MaxValue) && value > a.MaxValue)
        {
            throw new BindingException($"`{a.Name}` must be at most {a.MaxValue.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static void CheckLength(OptionSlot slot, string value)
    {
        var a = slot.Attribute;
        if (a.MinLength >= 0 && value.Length < a.MinLength)
        {
            throw new BindingException($"`{a.Name}` must be at least {a.MinLength} characters.");
        }

        if (a.MaxLength >= 0 && value.Length > a.MaxLength)
        {
            throw new BindingException($"`{a.Name}` must be at most {a.MaxLength} characters (got {value.Length}).");
        }
    }

    private static void CheckChoice(OptionSlot slot, object value)
    {
        if (slot.Choices.Count == 0 || slot.ValueType.IsEnum)
        {
            return;
        }

        var text = System.Convert.ToString(value, CultureInfo.InvariantCulture);
        if (!slot.Choices.Any(c => string.Equals(System.Convert.ToString(c.Value, CultureInfo.InvariantCulture), text, StringComparison.Ordinal)))
        {
            throw new BindingException($"`{text}` is not one of the choices for `{slot.Attribute.Name}`.");
        }
    }

    private static CommandOptionType InferType(Type valueType, Type owner, PropertyInfo property)
    {
        if (valueType == typeof(string) || valueType.IsEnum)
        {
            return CommandOptionType.String;
        }

        if (valueType == typeof(long) || valueType == typeof(int) || valueType == typeof(short))
        {
            return CommandOptionType.Integer;
        }

        if (valueType == typeof(double) || valueType == typeof(float) || valueType == typeof(decimal))
        {
            return CommandOptionType.Number;
        }

        if (valueType == typeof(bool))
        {
            return CommandOptionType.Boolean;
        }

        if (valueType == typeof(DiscordUser))
        {
            return CommandOptionType.User;
        }

        if (valueType == typeof(DiscordChannel))
        {
            return CommandOptionType.Channel;
        }

        if (valueType == typeof(DiscordRole))
        {
            return CommandOptionType.Role;
        }

        throw new InvalidOperationException($"Option property {owner.Name}.{property.Name} has type {valueType.Name}, which cannot be inferred; set OptionAttribute.Type.");
    }
}

/// <summary>Binds named string values (custom-id captures, modal fields) to a class's properties.</summary>
internal sealed class ValueBinder
{
    private readonly Type _type;
    private readonly Dictionary<string, PropertyInfo> _captureProperties;
    private readonly (PropertyInfo Property, ModalInputAttribute Input)[] _inputs;

    private ValueBinder(Type type, Dictionary<string, PropertyInfo> captureProperties, (PropertyInfo, ModalInputAttribute)[] inputs)
    {
        _type = type;
        _captureProperties = captureProperties;
        _inputs = inputs;
    }

    public IEnumerable<string> CaptureNames => _captureProperties.Keys;

    public static ValueBinder Create(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException($"{type.FullName} needs a public parameterless constructor to be bound.");
        }

        var captures = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        var inputs = new List<(PropertyInfo, ModalInputAttribute)>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.SetMethod is null)
            {
                continue;
            }

            var input = property.GetCustomAttribute<ModalInputAttribute>();
            if (input is not null)
            {
                inputs.Add((property, input));
            }
            else
            {
                captures[property.Name] = property;
            }
        }

        return new ValueBinder(type, captures, [.. inputs]);
    }

    public object Bind(IReadOnlyDictionary<string, string> captures, IReadOnlyDictionary<string, string>? fields)
    {
        var instance = Activator.CreateInstance(_type)!;
        foreach (var (name, value) in captures)
        {
            if (_captureProperties.TryGetValue(name, out var property))
            {
                property.SetValue(instance, ConvertText(value, property.PropertyType, name));
            }
        }

        foreach (var (property, input) in _inputs)
        {
            if (fields is not null && fields.TryGetValue(input.CustomId, out var text) && text.Length > 0)
            {
                if (input.MaxLength >= 0 && text.Length > input.MaxLength)
                {
                    throw new BindingException($"**{input.Label}** must be at most {input.MaxLength} characters.");
                }

                property.SetValue(instance, ConvertText(text, property.PropertyType, input.Label));
            }
            else if (input.Required)
            {
                throw new BindingException($"**{input.Label}** is required.");
            }
        }

        return instance;
    }

    internal static object? ConvertText(string text, Type type, string name)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (target == typeof(string))
            {
                return text;
            }

            if (target.IsEnum)
            {
                return Enum.TryParse(target, text, ignoreCase: true, out var e) ? e : throw new FormatException();
            }

            if (target == typeof(Guid))
            {
                return Guid.Parse(text, CultureInfo.InvariantCulture);
            }

            return System.Convert.ChangeType(text.Trim(), target, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new BindingException($"`{text}` is not a valid {target.Name} for `{name}`.", ex);
        }
    }
}
