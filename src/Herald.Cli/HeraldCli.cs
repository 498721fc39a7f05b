using System.CommandLine;
using System.CommandLine.Invocation;
using Herald.Cli.Commands;

namespace Herald.Cli;

/// <summary>
/// The command line, runnable in-process: arguments, writers and "today" in, exit code out.
/// 0 success (a "data needed" or "out of scope" decision is a valid answer); 2 invalid input or usage;
/// 1 knowledge-base failure or unexpected error (no stack trace unless HERALD_DEBUG=1).
/// </summary>
public static class HeraldCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<DateOnly> today)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(today);

        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var context = new CliContext(stdout, stderr, today, interactive);
        try
        {
            var parse = CreateRootCommand(context).Parse(args);
            if (parse.Action is ParseErrorAction)
            {
                foreach (var error in parse.Errors)
                {
                    context.WriteError(error.Message);
                }

                context.WriteError($"Run '{CommandPath(parse)} --help' for usage.");
                return ExitCodes.InvalidInput;
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (UsageException e)
        {
            context.WriteError(e.Message);
            return ExitCodes.InvalidInput;
        }
        catch (KnowledgeFailureException e)
        {
            context.WriteError($"{e.Message} {e.Errors.Count} error(s):");
            foreach (var error in e.Errors)
            {
                context.WriteError("  " + error);
            }

            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            context.WriteError($"herald: unexpected error: {e.Message}");
            if (Environment.GetEnvironmentVariable("HERALD_DEBUG") == "1")
            {
                context.WriteError(e.ToString());
            }
            else
            {
                context.WriteError("Set HERALD_DEBUG=1 to see the stack trace.");
            }

            return ExitCodes.Failure;
        }
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "Herald: clinical decision support for HER2-positive metastatic breast cancer. It ranks treatment options from " +
            "three dated sources (ASCO 2014, the 2016 consensus, the 2021 panel), quoting them, and says what it cannot decide. " +
            "Decision support only: the treating team decides.")
        {
            RecommendCommand.Create(context),
            CompareCommand.Create(context),
            ExplainCommand.Create(context),
            ValidateCommand.Create(context),
            KbCommand.Create(context),
            AuditCommand.Create(context),
        };
        return root;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "herald" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
