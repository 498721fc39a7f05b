using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Xunit.Abstractions;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// The FHIR Herald ships and tests with is valid R4: every example Bundle, every resource of the example CDS Hooks
/// prefetch, the test Bundles and every corpus record, checked by Firely's validator (Firely.Fhir.Validation.R4)
/// against the R4 core StructureDefinitions (the specification.zip of Hl7.Fhir.Specification.Data.R4, read offline).
/// Base specification only: the mCODE and US Core profiles named in meta.profile are not in any package the package
/// source serves, so profile conformance is not checked (docs/fhir-mapping.md, "Checked against the Firely SDK").
/// </summary>
public sealed class R4ValidationTests(ITestOutputHelper output)
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        var terminology = new LocalTerminologyService(source);
        var settings = new ValidationSettings
        {
            // Profiles in meta.profile (mCODE, US Core) cannot be resolved offline: validate against the base
            // resource definition only, rather than report each profile as unresolvable.
            SelectValidationProfiles = (_, profiles, _, _) =>
                profiles.Where(p => p.ToString().StartsWith("http://hl7.org/fhir/StructureDefinition/", StringComparison.Ordinal)).ToArray(),
        };
        return new Validator(source, terminology, null, settings);
    });

    [Theory]
    [MemberData(nameof(FhirInputs.Files), MemberType = typeof(FhirInputs))]
    public void EveryShippedFhirInputIsValidR4(string file)
    {
        var errors = new List<string>();
        var checkedCount = 0;
        foreach (var (where, json) in Resources(FhirInputs.Read(file)))
        {
            var resource = new FhirJsonDeserializer(FirelyReader.Settings).DeserializeResource(json);
            var outcome = Shared.Value.Validate(resource);
            checkedCount++;
            errors.AddRange(outcome.Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
                .Select(i => $"{where}: {string.Join(",", i.Expression ?? i.Location ?? [])} {i.Details?.Text ?? i.Diagnostics}"));
            foreach (var warning in outcome.Issue.Where(i => i.Severity == OperationOutcome.IssueSeverity.Warning).Take(3))
            {
                output.WriteLine($"{where}: warning {string.Join(",", warning.Expression ?? [])} {warning.Details?.Text ?? warning.Diagnostics}");
            }
        }

        Assert.True(checkedCount > 0, $"{file}: nothing to validate");
        Assert.True(errors.Count == 0, $"{file}:\n" + string.Join("\n", errors));
    }

    /// <summary>A Bundle file as one resource; a CDS Hooks request as each of its prefetch values.</summary>
    private static IEnumerable<(string Where, string Json)> Resources(string text)
    {
        using var document = System.Text.Json.JsonDocument.Parse(text);
        var root = document.RootElement;
        if (!root.TryGetProperty("hook", out _))
        {
            yield return ("$", text);
            yield break;
        }

        foreach (var member in root.GetProperty("prefetch").EnumerateObject())
        {
            if (member.Value.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                yield return ($"prefetch.{member.Name}", member.Value.GetRawText());
            }
        }
    }
}
