using System.Text;

namespace Herald.Server.CdsHooks;

/// <summary>Text helpers for cards: summaries within the 140-character limit, safe Markdown.</summary>
public static class CardText
{
    /// <summary>CDS Hooks: a summary is under 140 characters.</summary>
    public const int SummaryLimit = 139;

    /// <summary>
    /// Cuts a summary to the limit at a word boundary with an ellipsis, never inside a surrogate pair;
    /// line breaks become spaces (a summary is one sentence).
    /// </summary>
    public static string Summary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var oneLine = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (oneLine.Length <= SummaryLimit)
        {
            return oneLine;
        }

        var cut = SummaryLimit - 1; // room for the ellipsis
        var space = oneLine.LastIndexOf(' ', cut);
        if (space > SummaryLimit / 2)
        {
            cut = space;
        }

        if (char.IsHighSurrogate(oneLine[cut - 1]))
        {
            cut--;
        }

        return oneLine[..cut].TrimEnd(' ', ',', ';', ':', '—', '-') + "…";
    }

    // What Escape changes: Markdown's formatting characters, and line breaks.
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\\`*_[]<>|#\r\n");

    /// <summary>Escapes characters Markdown would read as formatting in a value taken from data.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Special);
        if (first < 0)
        {
            return text; // most knowledge-base text has nothing to escape: no copy, char by char, on every answer
        }

        var sb = new StringBuilder(text.Length + 8).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#')
            {
                sb.Append('\\');
            }

            sb.Append(c is '\r' or '\n' ? ' ' : c);
        }

        return sb.ToString();
    }

    /// <summary>A Markdown blockquote of a verbatim quote.</summary>
    public static string Blockquote(string quote) =>
        string.Join("\n", quote.Split('\n').Select(line => "> " + Escape(line.TrimEnd())));

    /// <summary>First letter upper case, for a sentence that starts with a lowercase drug name.</summary>
    public static string Capitalize(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
