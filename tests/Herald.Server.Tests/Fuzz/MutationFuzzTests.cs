using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Endpoints;

namespace Herald.Server.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every POST endpoint from the shipped examples, seeded and bounded so it runs in CI: no answer is
/// a 5xx, none carries a stack trace or an exception's name, and each comes within 2 s. HERALD_FUZZ_CASES and
/// HERALD_FUZZ_SEED change the count and the seed; a failure names the seed and case to replay it.
/// (bench/fuzz runs the long campaign against the Release server.)
/// </summary>
public sealed class MutationFuzzTests
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Mutated_requests_to_every_POST_endpoint_get_no_5xx_no_stack_trace_and_an_answer_within_2_seconds()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("HERALD_FUZZ_CASES"), out var n) ? n : 2500;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HERALD_FUZZ_SEED"), out var s) ? s : 20261203;
        var seeds = FuzzSeeds.Load(CardTestKit.RepositoryRoot);
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();

        // Every valid seed first: it is answered (so the mutations start from working requests) and the JIT is warm.
        foreach (var (path, mediaType, body) in seeds)
        {
            var (status, text, _) = await Send(client, new FuzzCase(path, mediaType, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "none"));
            Assert.True(status < 500, $"valid seed {path}: {status} {text}");
        }

        var mutator = new BodyMutator(seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < cases; i++)
        {
            var (path, mediaType, body) = seeds[i % seeds.Count];
            var fuzz = mutator.Mutate(path, mediaType, body);
            var (status, text, elapsed) = await Send(client, fuzz);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 || LooksLikeAStackTrace(text) || elapsed > AnswerBound)
            {
                failures.Add($"case {i} (seed {seed}) {fuzz.Mutation} {path} [{fuzz.MediaType}]: {status} in {elapsed.TotalMilliseconds:F0} ms: {text[..Math.Min(300, text.Length)]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed; answers by status: " +
            string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}")) + "\n" + string.Join("\n", failures.Take(20)));
        Assert.True(statuses.Keys.Any(k => k >= 400), "no mutation was refused: the mutator changes nothing");
    }

    [Fact]
    public void The_mutator_is_deterministic_for_a_seed()
    {
        var (path, mediaType, body) = FuzzSeeds.Load(CardTestKit.RepositoryRoot)[0];
        var first = new BodyMutator(7);
        var second = new BodyMutator(7);

        for (var i = 0; i < 50; i++)
        {
            var a = first.Mutate(path, mediaType, body);
            var b = second.Mutate(path, mediaType, body);
            Assert.Equal((a.Mutation, a.MediaType), (b.Mutation, b.MediaType));
            Assert.Equal(a.Body, b.Body);
        }
    }

    internal static bool LooksLikeAStackTrace(string text) =>
        text.Contains("   at ", StringComparison.Ordinal) || text.Contains(".cs:line", StringComparison.Ordinal)
        || ExceptionName.IsMatch(text);

    // Linear time: an answer may echo 400 kB of input, on which a backtracking \w+ would take minutes.
    private static readonly System.Text.RegularExpressions.Regex ExceptionName =
        new(@"\w+Exception\b", System.Text.RegularExpressions.RegexOptions.NonBacktracking);

    private static async Task<(int Status, string Text, TimeSpan Elapsed)> Send(HttpClient client, FuzzCase fuzz)
    {
        using var content = new ByteArrayContent(fuzz.Body);
        if (fuzz.MediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(fuzz.MediaType);
        }

        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync(fuzz.Path, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, clock.Elapsed);
    }
}
