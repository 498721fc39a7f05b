extern alias cli;

using System.Net;
using Herald.Audit;
using Herald.Server.CdsHooks;
using Herald.Server.Tests.Audit;
using ExitCodes = cli::Herald.Cli.ExitCodes;
using HeraldCli = cli::Herald.Cli.HeraldCli;

namespace Herald.Server.Tests.Endpoints;

/// <summary>The server with PostgreSQL selected by its connection string: answers are audited there.</summary>
[Collection(PostgresAuditCollection.Name)]
public sealed class PostgresServerTests(PostgresTestDatabase database)
{
    [Fact]
    public async Task A_connection_string_selects_PostgreSQL_and_the_call_is_recorded_there()
    {
        var connection = await database.CreateEmptySchemaAsync();
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"), new Dictionary<string, string?>
        {
            ["Herald:Audit:ConnectionString"] = connection,
        });
        var client = host.CreateClient();
        var request = FhirExamples.HookRequest("seed-case-2");

        var response = await Http.Post(client, "/cds-services/" + CdsServiceCatalog.PatientViewId, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("PostgreSQL", AuditStoreFactory.Describe(host.Service<DurableAuditWriter>()), StringComparison.Ordinal);
        Assert.Equal(0, host.Service<DurableAuditWriter>().Health.Pending);
        var audit = await Http.Body(await client.GetAsync($"/audit?hookInstance={request["hookInstance"]!.GetValue<string>()}"));
        Assert.Equal(1, audit["count"]!.GetValue<int>());
        Assert.Equal("seed-case-2", audit["records"]![0]!["patientId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_record_in_PostgreSQL_replays_from_the_command_line_byte_for_byte()
    {
        var connection = await database.CreateEmptySchemaAsync();
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Audit:ConnectionString"] = connection,
        });
        var response = await Http.Post(host.CreateClient(), "/cds-services/" + CdsServiceCatalog.PatientViewId, FhirExamples.HookRequest("seed-case-1"));
        var id = response.Headers.GetValues("X-Herald-Audit-Id").Single();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = HeraldCli.Run(["audit", "replay", id, "--connection", connection], stdout, stderr, () => new DateOnly(2026, 11, 21));

        Assert.True(exit == ExitCodes.Success, stdout.ToString() + stderr);
        Assert.Contains($"Reproduced: the answer derived again from the stored input is byte for byte the one sent (SHA-256 {AuditDigest.Of(await response.Content.ReadAsByteArrayAsync())})",
            stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_an_id_the_database_does_not_hold_is_a_usage_error_naming_the_database()
    {
        var connection = await database.CreateEmptySchemaAsync();
        using var host = new HeraldHost(new DateOnly(2026, 11, 21), new Dictionary<string, string?> { ["Herald:Audit:ConnectionString"] = connection });
        _ = host.Services; // starts the server, which creates the schema
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var id = Guid.NewGuid();

        var exit = HeraldCli.Run(["audit", "replay", id.ToString(), "--connection", connection], stdout, stderr, () => new DateOnly(2026, 11, 21));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"No audit record {id} in PostgreSQL at", stderr.ToString(), StringComparison.Ordinal);
    }
}
