namespace Herald.Cli;

/// <summary>
/// Where a command writes and what "today" is. Commands never touch <see cref="Console"/> or the clock,
/// so tests run them in-process with captured writers and a fixed date.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Func<DateOnly> today, bool interactive)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public DateOnly Today => today();

    /// <summary>Standard output is a terminal: colour and the terminal's width; otherwise plain text at a fixed width.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Writes text followed by a single "\n", whatever the platform, so output is byte-identical everywhere.</summary>
    public void WriteOut(string text)
    {
        Out.Write(text);
        if (!text.EndsWith('\n'))
        {
            Out.Write('\n');
        }
    }

    public void WriteError(string text)
    {
        Error.Write(text);
        if (!text.EndsWith('\n'))
        {
            Error.Write('\n');
        }
    }
}
