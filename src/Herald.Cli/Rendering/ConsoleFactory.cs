using Spectre.Console;

namespace Herald.Cli.Rendering;

/// <summary>
/// Spectre consoles over a writer. On a terminal: colour and the terminal's width. Otherwise (redirected,
/// captured by a test): no ANSI escape codes, no colour, a fixed width and the same box characters
/// everywhere, so the same input always gives byte-identical text.
/// </summary>
internal static class ConsoleFactory
{
    /// <summary>The width used when the output is not a terminal.</summary>
    public const int FixedWidth = 140;

    public static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        if (interactive)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Out = new AnsiConsoleOutput(writer),
            });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
            Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
            EnvironmentVariables = new Dictionary<string, string>(),
        });
        console.Profile.Width = FixedWidth;
        console.Profile.Height = 24;
        console.Profile.Capabilities.Unicode = true;
        console.Profile.Capabilities.Legacy = false;
        console.Profile.Capabilities.Links = false;
        return console;
    }
}
