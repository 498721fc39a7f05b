using System.CommandLine;

namespace Herald.Cli.Commands;

/// <summary><c>herald kb</c>: the knowledge base itself: validate it, list its entities, show one.</summary>
internal static class KbCommand
{
    public static Command Create(CliContext context) =>
        new("kb", "Inspect the knowledge base: validate the files, list entities, show one in full, write the start-up snapshot")
        {
            KbValidateCommand.Create(context),
            KbListCommand.Create(context),
            KbShowCommand.Create(context),
            KbSnapshotCommand.Create(context),
        };
}
