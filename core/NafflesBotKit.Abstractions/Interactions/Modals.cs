using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Interactions;

/// <summary>Builds modals from the same class a <see cref="ModalHandler{TModal}"/> receives.</summary>
public static class Modals
{
    /// <summary>
    /// Builds a modal whose text inputs are <typeparamref name="TModal"/>'s <see cref="ModalInputAttribute"/>
    /// properties, in declaration order. Values of <paramref name="prefill"/> (if given) pre-fill the inputs.
    /// </summary>
    /// <typeparam name="TModal">The modal class.</typeparam>
    /// <param name="customId">The modal's custom id (matching a <see cref="ModalAttribute"/> template).</param>
    /// <param name="title">Title (at most 45 characters).</param>
    /// <param name="prefill">Optional instance whose non-empty input values are pre-filled.</param>
    /// <exception cref="DiscordLimitException">When the modal breaks a Discord limit.</exception>
    public static ModalPayload Build<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TModal>(string customId, string title, TModal? prefill = null)
        where TModal : class
    {
        var builder = new ModalBuilder(customId, title);
        foreach (var property in typeof(TModal).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var input = property.GetCustomAttribute<ModalInputAttribute>();
            if (input is null)
            {
                continue;
            }

            string? value = null;
            if (prefill is not null)
            {
                value = Convert.ToString(property.GetValue(prefill), CultureInfo.InvariantCulture);
                if (string.IsNullOrEmpty(value))
                {
                    value = null;
                }
            }

            builder.AddTextInput(
                input.CustomId,
                input.Label,
                input.Paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
                input.MinLength >= 0 ? input.MinLength : null,
                input.MaxLength >= 0 ? input.MaxLength : null,
                input.Required,
                value,
                input.Placeholder);
        }

        return builder.Build();
    }
}
