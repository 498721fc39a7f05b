using Herald.Cli;

// The only place Herald reads the clock: every command takes "today" from here.
return HeraldCli.Run(args, Console.Out, Console.Error, () => DateOnly.FromDateTime(DateTime.Now));
