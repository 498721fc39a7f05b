using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Cards;

/// <summary>Markdown escaping of values taken from data, before and after the first character that needs it.</summary>
public sealed class CardTextEscapeTests
{
    [Theory]
    [InlineData("trastuzumab emtansine 3.6 mg/kg", "trastuzumab emtansine 3.6 mg/kg")]
    [InlineData("*bold* and _under_", "\\*bold\\* and \\_under\\_")]
    [InlineData("HER2 [IHC 3+] #1", "HER2 \\[IHC 3+\\] \\#1")]
    [InlineData("a|b<c>d`e\\f", "a\\|b\\<c\\>d\\`e\\\\f")]
    [InlineData("line one\nline two\r\nthree", "line one line two  three")]
    [InlineData("", "")]
    public void Markdown_characters_are_escaped_and_line_breaks_become_spaces(string text, string expected) =>
        Assert.Equal(expected, CardText.Escape(text));
}
