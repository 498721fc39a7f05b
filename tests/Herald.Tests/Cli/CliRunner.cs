using Herald.Cli;
using Herald.Tests.Support;

namespace Herald.Tests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs the command line in-process with captured writers and a fixed "today".</summary>
public static class CliRunner
{
    /// <summary>Later than every example's assessment date, so that none is "in the future".</summary>
    public static readonly DateOnly Today = new(2026, 12, 31);

    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = HeraldCli.Run(args, output, error, () => Today);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static string Example(string name) => Path.Combine(TestKnowledge.RepositoryRoot, "examples", name);

    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(Path.Combine(TestKnowledge.RepositoryRoot, "examples"), "*.json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    /// <summary>Collapses runs of whitespace, so text wrapped for the terminal compares with the source text.</summary>
    public static string Flatten(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A temporary directory, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "herald-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
