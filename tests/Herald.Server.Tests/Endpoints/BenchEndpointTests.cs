using System.Net;
using System.Text;

namespace Herald.Server.Tests.Endpoints;

/// <summary>The load-test baseline <c>POST /bench/bare</c> exists only when a bench setting names its answer file.</summary>
public sealed class BenchEndpointTests
{
    private static readonly DateOnly Today = new(2024, 1, 15);

    [Fact]
    public async Task The_bare_endpoint_does_not_exist_by_default()
    {
        using var host = new HeraldHost(Today);

        using var response = await host.CreateClient().PostAsync("/bench/bare", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // The fallback answered: no endpoint is mapped at the path.
        Assert.Contains("no endpoint at /bench/bare", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_answer_file_the_bare_endpoint_reads_the_body_and_answers_with_the_file_bytes_unaudited()
    {
        var answer = "{\"cards\":[{\"summary\":\"precomputed \u2265 answer\"}]}"u8.ToArray();
        var file = Path.Combine(Path.GetTempPath(), $"herald-bare-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, answer);
        try
        {
            using var host = new HeraldHost(Today, new Dictionary<string, string?> { ["Herald:Bench:BareAnswerFile"] = file });
            var client = host.CreateClient();

            using var response = await client.PostAsync("/bench/bare", new StringContent(new string('x', 20_000), Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(answer, await response.Content.ReadAsByteArrayAsync());
            Assert.False(response.Headers.Contains("X-Herald-Audit-Id"));
            Assert.Equal(0, host.Service<Herald.Audit.DurableAuditWriter>().Health.Commits);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
