using System.CommandLine;
using System.Globalization;
using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald kb validate</c>: loads the knowledge files, reports every error as <c>file:line: message</c>,
/// checks every quote against the seed documents when they can be found, and prints counts.
/// </summary>
internal static class KbValidateCommand
{
    /// <summary>Where the seeds are looked for when --seeds is not given, relative to the current directory.</summary>
    public static readonly string DefaultSeedsDirectory = Path.Combine("..", "shared", "seeds");

    public static Command Create(CliContext context)
    {
        var knowledge = CommonOptions.Knowledge();
        var seeds = new Option<string?>("--seeds")
        {
            Description = $"Check every quote against the seed documents in this directory (default: {DefaultSeedsDirectory.Replace('\\', '/')} if it exists)",
            HelpName = "dir",
        };
        var command = new Command("validate", "Load and check the knowledge files: every error as file:line: message, every quote against the seeds, then counts")
        {
            knowledge, seeds,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(knowledge), parse.GetValue(seeds)));
        return command;
    }

    private static int Execute(CliContext context, string? directory, string? seedsOption)
    {
        LoadResult result;
        if (directory is null)
        {
            context.WriteOut("Knowledge: the built-in knowledge files.");
            result = KnowledgeLoader.LoadEmbeddedYaml(); // the YAML itself, never a snapshot of it
        }
        else
        {
            KnowledgeSource.RequireDirectory(directory);
            context.WriteOut($"Knowledge: the files under {directory}.");
            result = KnowledgeLoader.LoadDirectory(directory);
        }

        var errors = result.Errors.ToList();
        if (!result.Succeeded)
        {
            foreach (var error in errors)
            {
                context.WriteOut(error.ToString());
            }

            context.WriteOut($"The knowledge base did not load: {Count(errors.Count, "error")}. Quotes were not checked.");
            return ExitCodes.Failure;
        }

        var kb = result.Knowledge!;
        var seedsDirectory = seedsOption ?? (Directory.Exists(DefaultSeedsDirectory) ? DefaultSeedsDirectory : null);
        var quoteErrors = seedsDirectory is null ? [] : SeedQuoteVerifier.Verify(kb, seedsDirectory);
        foreach (var error in quoteErrors)
        {
            context.WriteOut(error.ToString());
        }

        context.WriteOut($"Loaded knowledge base {kb.Version}.");
        if (seedsDirectory is null)
        {
            context.WriteOut(
                $"Quotes NOT checked: no seeds directory at {Path.GetFullPath(DefaultSeedsDirectory)}. " +
                "Pass --seeds <dir> to check every quote against the seed documents.");
        }
        else
        {
            var quotes = QuotesWithSeedFile(kb);
            context.WriteOut(quoteErrors.Count == 0
                ? $"Quotes checked: all {quotes} quotes found in the seed documents in {Path.GetFullPath(seedsDirectory)}."
                : $"Quotes checked against the seed documents in {Path.GetFullPath(seedsDirectory)}: {Count(quoteErrors.Count, "problem")} in {quotes} quotes.");
        }

        context.WriteOut("Statements per edition: " + string.Join(", ", kb.Editions.Select(e =>
            $"{e.Id} {e.Statements.Count.ToString(CultureInfo.InvariantCulture)}{(e.IsCombined ? " (in force, combined)" : "")}")) + ".");
        context.WriteOut(
            $"Safety rules {kb.SafetyRules.Count}, regimens {kb.Regimens.Count}, agents {kb.Agents.Count}, agent groups {kb.Groups.Count}, " +
            $"trials {kb.Trials.Count}, sources {kb.Sources.Count}, parameters {kb.Parameters.Count}.");

        if (quoteErrors.Count > 0)
        {
            context.WriteOut($"Not clean: {Count(quoteErrors.Count, "error")}.");
            return ExitCodes.Failure;
        }

        context.WriteOut(seedsDirectory is null ? "Clean (quotes not checked)." : "Clean.");
        return ExitCodes.Success;
    }

    private static int QuotesWithSeedFile(KnowledgeBase kb) =>
        kb.Statements.Count(s => s.Quote.Length > 0 && s.Source.File is not null)
        + kb.SafetyRules.Count(r => !string.IsNullOrEmpty(r.Quote) && r.Source.File is not null);

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
