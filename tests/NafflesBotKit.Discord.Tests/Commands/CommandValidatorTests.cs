using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Tests.Commands;

public sealed class CommandValidatorTests
{
    private static ApplicationCommandDefinition Command(string name = "tasks", string description = "Manage tasks", params CommandOptionDefinition[] options) =>
        new() { Name = name, Description = description, PluginId = "naffles.social-tasks", Options = options };

    private static CommandOptionDefinition Option(string name, bool required = false, CommandOptionType type = CommandOptionType.String) =>
        new() { Type = type, Name = name, Description = "An option", Required = required };

    private static IReadOnlyList<string> Errors(params ApplicationCommandDefinition[] commands) =>
        Assert.Throws<CommandValidationException>(() => CommandValidator.Validate(commands)).Errors;

    [Fact]
    public void Validate_ValidCommand_Passes() =>
        CommandValidator.Validate([Command(options: [Option("title", required: true), Option("points")]), Command("naffles-create-task", "Create")]);

    [Theory]
    [InlineData("Tasks")]
    [InlineData("create task")]
    [InlineData("")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    [InlineData("tasks!")]
    public void Validate_BadName_NamesPluginAndCommand(string name)
    {
        var error = Assert.Single(Errors(Command(name)));
        Assert.StartsWith($"plugin 'naffles.social-tasks' command '/{name}': name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnicodeLowerCaseName_Passes() => CommandValidator.Validate([Command("задачи")]);

    [Fact]
    public void Validate_DescriptionLength()
    {
        Assert.Contains("description must be 1-100", Assert.Single(Errors(Command(description: ""))), StringComparison.Ordinal);
        Assert.Contains("description must be 1-100", Assert.Single(Errors(Command(description: new string('d', 101)))), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RequiredAfterOptional_NamesTheOption()
    {
        var error = Assert.Single(Errors(Command(options: [Option("a"), Option("b", required: true)])));
        Assert.Equal("plugin 'naffles.social-tasks' command '/tasks' option 'b': required options must come before optional ones.", error);
    }

    [Fact]
    public void Validate_TooManyOptionsAndChoices()
    {
        var options = Enumerable.Range(0, 26).Select(i => Option("o" + i)).ToArray();
        Assert.Contains(Errors(Command(options: options)), e => e.Contains("26 options", StringComparison.Ordinal));
        var choices = new CommandOptionDefinition { Type = CommandOptionType.String, Name = "c", Description = "d", Choices = [.. Enumerable.Range(0, 26).Select(i => new CommandChoiceDefinition("n" + i, "v" + i))] };
        Assert.Contains(Errors(Command(options: choices)), e => e.Contains("26 choices", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Over8000Characters()
    {
        var choices = Enumerable.Range(0, 25).Select(i => new CommandChoiceDefinition(new string('n', 100), new string('v', 100))).ToList();
        var options = Enumerable.Range(0, 2).Select(i => new CommandOptionDefinition { Type = CommandOptionType.String, Name = "o" + i, Description = "d", Choices = choices }).ToArray();
        Assert.Contains(Errors(Command(options: options)), e => e.Contains("Discord allows at most 8000", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Over100GlobalCommands()
    {
        var commands = Enumerable.Range(0, 101).Select(i => Command("c" + i)).ToArray();
        Assert.Contains(Errors(commands), e => e.Contains("101 chat-input commands", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateAcrossPlugins_NamesBoth()
    {
        var error = Assert.Single(Errors(Command(), Command() with { PluginId = "naffles.other" }));
        Assert.Contains("'naffles.social-tasks', 'naffles.other'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SubcommandNesting()
    {
        var nested = new CommandOptionDefinition
        {
            Type = CommandOptionType.SubCommand,
            Name = "a",
            Description = "d",
            Options = [new CommandOptionDefinition { Type = CommandOptionType.SubCommand, Name = "b", Description = "d" }],
        };
        Assert.Contains(Errors(Command(options: nested)), e => e.Contains("cannot nest", StringComparison.Ordinal));
        Assert.Contains(Errors(Command(options: [nested with { Options = [] }, Option("x")])), e => e.Contains("cannot be mixed", StringComparison.Ordinal));
    }
}
