using System.Text;

namespace Herald.Server.CdsHooks;

/// <summary>
/// One StringBuilder per thread for card text: a card's Markdown is kilobytes, and a new builder per card grows by
/// doubling to that size on every answer. Rent, append, then <see cref="ToStringAndReturn"/> with no await between
/// (the cards are built synchronously); a nested rent gets a builder of its own.
/// </summary>
internal static class MarkdownBuffer
{
    // A builder that grew past this (an unusually long card) is not kept, so one answer cannot pin a large buffer.
    private const int KeepUpTo = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? cached;

    public static StringBuilder Rent()
    {
        var builder = cached ?? new StringBuilder(8 * 1024);
        cached = null;
        return builder.Clear();
    }

    public static string ToStringAndReturn(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= KeepUpTo)
        {
            cached = builder;
        }

        return text;
    }
}
