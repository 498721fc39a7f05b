using Herald.Audit;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.Builder;

// Herald's server: `dotnet run --project src/Herald.Server` listens on http://127.0.0.1:8410 with an embedded
// SQLite audit database and local-development authentication. docs/server.md lists every setting.
WebApplication app;
try
{
    app = HeraldApp.Build(args);
}
catch (AuditSpoolInUseException e)
{
    // A setting to fix, not a fault in Herald: said in one line, without a stack trace.
    await Console.Error.WriteLineAsync("Herald did not start: " + e.Message);
    return 2;
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
