using System.CommandLine;
using Herald.Knowledge;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald kb snapshot</c>: writes the built-in knowledge, parsed and validated, as the snapshot a command reads
/// at start instead of the YAML (docs/performance.md, "Cold start"). The build runs it; it is never required: without
/// a snapshot, or with one made from other knowledge files, Herald reads the YAML.
/// </summary>
internal static class KbSnapshotCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--out")
        {
            Description = $"Where to write the snapshot (default: {KnowledgeSnapshot.FileName} beside this program)",
            HelpName = "file",
        };
        var command = new Command("snapshot", "Write the built-in knowledge, validated, as the snapshot read at start-up instead of the YAML") { output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output) ?? Path.Combine(AppContext.BaseDirectory, KnowledgeSnapshot.FileName);
            try
            {
                KnowledgeSnapshot.Write(path);
            }
            catch (KnowledgeLoadException e)
            {
                context.Error.WriteLine($"The knowledge base did not load, so no snapshot was written: {e.Message}");
                return ExitCodes.Failure;
            }

            context.WriteOut($"Wrote {path} (knowledge fingerprint {KnowledgeSnapshot.Fingerprint()[..12]}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
