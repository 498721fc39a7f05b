using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Herald.Cli.Rendering;

/// <summary>
/// The few layouts the text output uses, over a Spectre console: section rules, wrapped paragraphs with an
/// indent, and items with a hanging indent so that wrapped lines stay under their text. Prose is wrapped here
/// (at the console's width) rather than by Spectre, so lines carry no trailing padding. Every string is
/// written as plain text: knowledge-base text is never read as markup.
/// </summary>
internal sealed class Blocks(IAnsiConsole console)
{
    private readonly int width = Math.Max(40, console.Profile.Width);

    public IAnsiConsole Console { get; } = console;

    public void Title(string text) => Para(text, 0, "bold");

    /// <summary>A rule with the title; <paramref name="spaced"/>: a blank line before it (compact output leaves it out).</summary>
    public void Section(string title, bool spaced = true)
    {
        if (spaced)
        {
            Console.WriteLine();
        }

        Console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]") { Justification = Justify.Left, Style = Style.Plain });
    }

    public void Blank() => Console.WriteLine();

    /// <summary>A wrapped paragraph, every line indented.</summary>
    public void Para(string text, int indent = 0, string style = "") => Item("", text, indent, style);

    /// <summary>Bold text with an indent, for the name of an option or an entity.</summary>
    public void Strong(string text, int indent = 0) => Para(text, indent, "bold");

    /// <summary>"marker text" with wrapped lines aligned under the text (a hanging indent).</summary>
    public void Item(string marker, string text, int indent = 2, string style = "", string markerStyle = "", int markerWidth = 0)
    {
        var gutter = marker.Length == 0 ? 0 : Math.Max(marker.Length, markerWidth) + 1;
        var lines = Wrap(text, width - indent - gutter);
        for (var i = 0; i < lines.Count; i++)
        {
            Console.Write(new Text(new string(' ', indent)));
            if (gutter > 0)
            {
                Console.Write(i == 0 ? Styled(marker.PadRight(gutter), markerStyle) : new Text(new string(' ', gutter)));
            }

            Console.Write(Styled(lines[i], style));
            Console.WriteLine();
        }
    }

    /// <summary>"label: text", the label in bold and padded to <paramref name="labelWidth"/> so values line up.</summary>
    public void Field(string label, string text, int indent = 2, int labelWidth = 0) =>
        Item(label + ":", text, indent, "", "bold", labelWidth);

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public void Write(IRenderable renderable, int indent) =>
        Console.Write(indent == 0 ? renderable : new Padder(renderable, new Padding(indent, 0, 0, 0)) { Expand = false });

    public static Text Styled(string text, string style) =>
        style.Length == 0 ? new Text(text) : new Text(text, Style.Parse(style));

    /// <summary>A table in the house style: rounded border, bold headers, rows in the given order.</summary>
    public static Table Table(params string[] headers)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    public static IRenderable Cell(string text) => new Text(text);

    /// <summary>Greedy word wrap; a word longer than the width gets a line of its own.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        width = Math.Max(20, width);
        var lines = new List<string>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = new StringBuilder(width);
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(word);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}
