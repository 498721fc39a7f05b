using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Fuzz;

// Usage: Herald.FuzzCampaign <server base URL> <repository root> [cases] [seed] [concurrency]
// Sends mutated requests to every POST endpoint and reports answers by status, 5xx, stack traces and latency.
// Exit code 1 when any answer was a 5xx or carried a stack trace; slow answers are reported, not failed (load varies).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Herald.FuzzCampaign <base-url> <repository-root> [cases=100000] [seed=1] [concurrency=4]");
    return 2;
}

var baseUrl = new Uri(args[0]);
if (!baseUrl.IsLoopback)
{
    Console.Error.WriteLine("The campaign sends traffic to this machine only (a loopback address).");
    return 2;
}

var cases = args.Length > 2 ? int.Parse(args[2]) : 100_000;
var seed = args.Length > 3 ? int.Parse(args[3]) : 1;
var concurrency = args.Length > 4 ? int.Parse(args[4]) : 4;
var seeds = FuzzSeeds.Load(args[1]);
var stackTrace = new Regex(@"\w+Exception\b|   at |\.cs:line", RegexOptions.NonBacktracking); // Linear: answers may echo 400 kB of input.

using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
var statuses = new SortedDictionary<int, int>();
var byMutation = new SortedDictionary<string, int>(StringComparer.Ordinal);
var latencies = new double[cases];
var failures = new List<string>();
var slow = new List<string>();
var next = -1;
var gate = new object();
var wall = Stopwatch.StartNew();

async Task Worker(int worker)
{
    // Each worker its own seeded mutator: case i is the same whichever run, for a given seed and concurrency.
    var mutator = new BodyMutator(seed * 1000 + worker);
    while (true)
    {
        var i = Interlocked.Increment(ref next);
        if (i >= cases)
        {
            return;
        }

        var (path, mediaType, body) = seeds[i % seeds.Count];
        var fuzz = mutator.Mutate(path, mediaType, body);
        using var content = new ByteArrayContent(fuzz.Body);
        if (fuzz.MediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(fuzz.MediaType);
        }

        var clock = Stopwatch.StartNew();
        int status;
        string text;
        try
        {
            using var response = await client.PostAsync(fuzz.Path, content);
            text = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = 0;
            text = e.GetType().Name;
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        lock (gate)
        {
            latencies[i] = elapsed;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            byMutation[fuzz.Mutation] = byMutation.GetValueOrDefault(fuzz.Mutation) + 1;
            if (status >= 500 || status == 0 || stackTrace.IsMatch(text))
            {
                failures.Add($"case {i} worker {worker} {fuzz.Mutation} {fuzz.Path} [{fuzz.MediaType}]: {status}: {text[..Math.Min(200, text.Length)]}");
            }
            else if (elapsed > 2000)
            {
                slow.Add($"case {i} {fuzz.Mutation} {fuzz.Path}: {status} in {elapsed:F0} ms");
            }
        }

        if (i > 0 && i % 10_000 == 0)
        {
            Console.Error.WriteLine($"{i} cases, {wall.Elapsed.TotalSeconds:F0} s");
        }
    }
}

await Task.WhenAll(Enumerable.Range(0, concurrency).Select(Worker));
wall.Stop();
Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];

Console.WriteLine($"cases: {cases} (seed {seed}, {concurrency} concurrent, {seeds.Count} seed requests on {seeds.Select(s => s.Path).Distinct().Count()} endpoints)");
Console.WriteLine($"wall time: {wall.Elapsed.TotalSeconds:F0} s ({cases / wall.Elapsed.TotalSeconds:F0} answers/s)");
Console.WriteLine($"answers by status: {string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}"))}");
Console.WriteLine($"cases by mutation: {string.Join(", ", byMutation.Select(p => $"{p.Key}: {p.Value}"))}");
Console.WriteLine($"5xx, no answer or stack trace: {failures.Count}");
Console.WriteLine($"latency ms: p50 {Percentile(0.50):F1}, p99 {Percentile(0.99):F1}, p99.9 {Percentile(0.999):F1}, max {latencies[^1]:F0}; over 2 s: {slow.Count}");
foreach (var line in failures.Take(20).Concat(slow.Take(10)))
{
    Console.WriteLine("  " + line);
}

return failures.Count == 0 ? 0 : 1;
