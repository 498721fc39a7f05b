using System.CommandLine;
using Herald.Cli.Rendering;
using Herald.Core.Knowledge;

namespace Herald.Cli.Commands;

/// <summary><c>herald kb list [subject] [--edition id]</c>: the knowledge base's entities as tables.</summary>
internal static class KbListCommand
{
    public static readonly string[] Subjects =
        ["statements", "regimens", "agents", "groups", "trials", "editions", "rules", "facts", "parameters", "sources"];

    /// <summary>The subjects an edition narrows: its statements in force, the regimens they mention, its sources.</summary>
    private static readonly string[] EditionSubjects = ["statements", "regimens", "sources"];

    public static Command Create(CliContext context)
    {
        var subject = new Argument<string?>("subject")
        {
            Description = $"What to list: {string.Join(", ", Subjects)} (default: a summary of them all)",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "subject",
        };
        subject.AcceptOnlyFromAmong(Subjects);
        var edition = new Option<string?>("--edition")
        {
            Description = "Only what is in force in this edition (statements, regimens, sources)",
            HelpName = "id",
        };
        var knowledge = CommonOptions.Knowledge();
        var command = new Command("list", "List the statements, regimens, agents, groups, trials, editions, safety rules, condition facts, parameters or sources")
        {
            subject, edition, knowledge,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(subject), parse.GetValue(edition), parse.GetValue(knowledge)));
        return command;
    }

    private static int Execute(CliContext context, string? subject, string? editionId, string? directory)
    {
        var kb = KnowledgeSource.Load(directory);
        Edition? edition = null;
        if (editionId is not null)
        {
            if (subject is null || !EditionSubjects.Contains(subject))
            {
                throw new UsageException("--edition", $"--edition narrows only {string.Join(", ", EditionSubjects)}; '{subject ?? "the summary"}' does not depend on the edition.");
            }

            edition = KnowledgeSource.Edition(kb, editionId);
        }

        KnowledgeTables.Render(subject, kb, edition, new Blocks(ConsoleFactory.Create(context.Out, context.Interactive)));
        return ExitCodes.Success;
    }
}
