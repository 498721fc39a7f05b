using Herald.Server.Hosting;

// Herald's server: `dotnet run --project src/Herald.Server` listens on http://127.0.0.1:8410 with an embedded
// SQLite audit database and local-development authentication. docs/server.md lists every setting.
var app = HeraldApp.Build(args);
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
