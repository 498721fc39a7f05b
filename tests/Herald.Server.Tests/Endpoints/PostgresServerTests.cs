using System.Net;
using Herald.Audit;
using Herald.Server.CdsHooks;
using Herald.Server.Tests.Audit;

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
}
