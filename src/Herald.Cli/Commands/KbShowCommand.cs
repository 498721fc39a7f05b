using System.CommandLine;
using Herald.Cli.Rendering;

namespace Herald.Cli.Commands;

/// <summary><c>herald kb show id</c>: one entity with all its fields, whatever its kind.</summary>
internal static class KbShowCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id")
        {
            Description = "The id of a statement, regimen, agent, group, trial, edition, safety rule, parameter, source or condition fact",
        };
        var knowledge = CommonOptions.Knowledge();
        var command = new Command("show", "Show one entity of the knowledge base with all its fields (a statement with its quote, source, voice, condition, actions)")
        {
            id, knowledge,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(id)!, parse.GetValue(knowledge)));
        return command;
    }

    private static int Execute(CliContext context, string id, string? directory)
    {
        var kb = KnowledgeSource.Load(directory);
        var console = ConsoleFactory.Create(context.Out, context.Interactive);
        if (!EntityRenderer.Render(id, kb, console))
        {
            var near = EntityRenderer.SimilarIds(id, kb);
            throw new UsageException(
                "id",
                $"No entity of knowledge base {kb.Version} has the id '{id}'." +
                (near.Count > 0 ? $" Did you mean: {string.Join(", ", near)}?" : " 'herald kb list' lists them."));
        }

        return ExitCodes.Success;
    }
}
