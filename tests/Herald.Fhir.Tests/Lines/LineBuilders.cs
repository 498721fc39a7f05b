using System.Globalization;
using Herald.Core.Knowledge;
using Herald.Fhir.Lines;
using Herald.Knowledge;

namespace Herald.Fhir.Tests.Lines;

/// <summary>Short builders for medication records and disease-status observations.</summary>
internal static class LineBuilders
{
    public static readonly DateOnly Diagnosis = D("2019-01-01");

    public static readonly DateOnly AsOf = D("2024-06-01");

    public static KnowledgeBase Kb => KnowledgeLoader.LoadEmbeddedOrThrow();

    public static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string S(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static MedicationUse Use(
        string source,
        string agent,
        DateOnly start,
        DateOnly? end = null,
        MedicationUseStatus status = MedicationUseStatus.Completed,
        TreatmentIntent intent = TreatmentIntent.Unknown,
        string? stopReason = null) =>
        new(source, [agent], start, end, status, intent, stopReason, stopReason is null ? null : "statusReason");

    /// <summary>One MedicationAdministration per cycle, every <paramref name="everyDays"/> days.</summary>
    public static List<MedicationUse> Cycles(string agent, DateOnly first, int count, int everyDays = 21, string? lastStopReason = null) =>
        Enumerable.Range(0, count)
            .Select(i => Use(
                $"MedicationAdministration/{agent}-{i + 1}",
                agent,
                first.AddDays(i * everyDays),
                stopReason: i == count - 1 ? lastStopReason : null))
            .ToList();

    public static DiseaseStatusObservation Status(string id, DateOnly date, DiseaseStatus status) => new($"Observation/{id}", date, status);

    public static LineDerivation Derive(IEnumerable<MedicationUse> uses, params DiseaseStatusObservation[] statuses) =>
        LineOfTherapyDeriver.Derive(uses.ToList(), Diagnosis, statuses, AsOf, Kb);

    public static LineDerivation DeriveAsOf(DateOnly asOf, IEnumerable<MedicationUse> uses, params DiseaseStatusObservation[] statuses) =>
        LineOfTherapyDeriver.Derive(uses.ToList(), Diagnosis, statuses, asOf, Kb);

    public static bool HasRule(this DerivedLine line, string id) => line.Rules.Any(r => r.StartsWith(id + ":", StringComparison.Ordinal));

    public static string Rule(this DerivedLine line, string id) => Assert.Single(line.Rules, r => r.StartsWith(id + ":", StringComparison.Ordinal));
}
