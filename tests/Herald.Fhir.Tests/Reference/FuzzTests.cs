using System.Diagnostics;
using Xunit.Abstractions;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Mutated FHIR inputs (<see cref="Mutator"/>): Herald never throws (no exception escapes FhirResourceSet or
/// FhirPatientMapper.Map), and Herald and the Firely SDK agree on every resource Herald reads: the same reading, or a
/// refusal by both, except the intended differences (<see cref="IntendedDifferences"/>).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;

    /// <summary>HERALD_FUZZ_CASES runs more (or fewer) cases, e.g. for a longer search before a release.</summary>
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("HERALD_FUZZ_CASES"), out var n) && n > 0 ? n : 3000;

    [Fact]
    public void MutatedInputsNeverMakeHeraldThrowAndReadAsFirelyReadsThem()
    {
        var inputs = FhirInputs.All().Select(f => (Name: f, Text: FhirInputs.Read(f))).ToList();
        var failures = new List<string>();
        int resources = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var input = inputs[i % inputs.Count];
            var (text, description) = new Mutator(Seed + i).Mutate(input.Text);
            try
            {
                var report = Differential.Compare(text);
                resources += report.Resources;
                refused += report.Refused;
                if (report.Disagreements.Count > 0)
                {
                    failures.Add($"case {i} ({input.Name}; {description}):\n  " + string.Join("\n  ", report.Disagreements.Take(5)));
                }
            }
            catch (Exception e)
            {
                failures.Add($"case {i} ({input.Name}; {description}): {e.Message.Split('\n')[0]}");
            }
        }

        output.WriteLine($"{Cases} cases in {clock.Elapsed.TotalSeconds:F1} s; {resources} resources compared, {refused} refused by both");
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} cases failed; the first:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(refused > Cases / 10, $"only {refused} resources were refused: the mutations are not reaching what Herald reads");
    }
}
