using NafflesBotKit.Plugins;

namespace NafflesBotKit.Tests.Plugins;

public sealed class VersionRangeTests
{
    [Theory]
    [InlineData("[1.0,2.0)", "1.0.0", true)]
    [InlineData("[1.0,2.0)", "1.9.9", true)]
    [InlineData("[1.0,2.0)", "2.0.0", false)]
    [InlineData("[1.0,2.0)", "0.9", false)]
    [InlineData("(1.0,2.0]", "1.0", false)]
    [InlineData("(1.0,2.0]", "2.0", true)]
    [InlineData("1.2", "1.2.0", true)]
    [InlineData("1.2", "7.0", true)]
    [InlineData("1.2", "1.1.9", false)]
    [InlineData("[1.5]", "1.5.0", true)]
    [InlineData("[1.5]", "1.5.1", false)]
    [InlineData("(,2.0)", "0.1", true)]
    [InlineData("[1,)", "1.0", true)]
    public void Contains_FollowsIntervalNotation(string range, string version, bool expected) =>
        Assert.Equal(expected, VersionRange.Parse(range).Contains(Version.Parse(version.Contains('.', StringComparison.Ordinal) ? version : version + ".0")));

    [Theory]
    [InlineData("")]
    [InlineData("[1.0")]
    [InlineData("[2.0,1.0)")]
    [InlineData("(1.0)")]
    [InlineData("[,]")]
    [InlineData("abc")]
    [InlineData("(1.0,1.0)")]
    public void TryParse_Invalid_ReturnsFalse(string range) => Assert.False(VersionRange.TryParse(range, out _));

    [Fact]
    public void Parse_Invalid_ThrowsNamingInput() =>
        Assert.Contains("'nope'", Assert.Throws<FormatException>(() => VersionRange.Parse("nope")).Message, StringComparison.Ordinal);
}

public sealed class PluginManifestTests
{
    [Fact]
    public void Validate_GoodManifest_HasNoProblems() =>
        Assert.Empty(new PluginManifest("naffles.social-tasks", "1.2.0", "[1.0,2.0)", "Tasks").Validate());

    [Theory]
    [InlineData("Bad Id", "1.0.0", "[1.0,2.0)", "plugin id")]
    [InlineData("ok", "one", "[1.0,2.0)", "not a version")]
    [InlineData("ok", "1.0.0", "", "no SDK version range")]
    [InlineData("ok", "1.0.0", "[2.0,1.0)", "not a version range")]
    public void Validate_BadManifest_NamesProblem(string id, string version, string sdk, string fragment) =>
        Assert.Contains(new PluginManifest(id, version, sdk).Validate(), p => p.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public void CurrentSdk_IsInsideTheFirstPartyRange() =>
        Assert.True(VersionRange.Parse("[1.0,2.0)").Contains(SdkVersion.Current));
}
