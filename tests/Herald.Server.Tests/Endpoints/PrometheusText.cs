using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Server.Tests.Endpoints;

/// <summary>A scrape of GET /metrics read as series: each sample's name, labels and value (Prometheus text format 0.0.4).</summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(string body, IReadOnlyList<Sample> samples)
    {
        Body = body;
        Samples = samples;
    }

    public string Body { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {body}");
        return Parse(body);
    }

    public static PrometheusText Parse(string body)
    {
        var samples = new List<Sample>();
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new PrometheusText(body, samples);
    }

    /// <summary>The samples of one series name whose labels include every given pair.</summary>
    public IReadOnlyList<Sample> Series(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();

    /// <summary>The one sample of a series name with the given labels; fails, showing the scrape, when there is not exactly one.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var found = Series(name, labels);
        Assert.True(found.Count == 1, $"{found.Count} samples of {name} with {string.Join(", ", labels)} in:\n{Body}");
        return found[0].Value;
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();
}
