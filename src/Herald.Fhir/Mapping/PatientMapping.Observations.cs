using System.Text.Json.Nodes;
using Herald.Fhir.Lines;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

internal sealed partial class PatientMapping
{
    /// <summary>When the result applies: effective[x] (dateTime, period start, instant), else when it was issued.</summary>
    private static DateOnly? ObservationDate(Observation o) =>
        FhirDate.Read(o.EffectiveDateTime) ?? FhirDate.Read(o.EffectivePeriod?.Start) ?? FhirDate.Read(o.EffectiveInstant) ?? FhirDate.Read(o.Issued);

    /// <summary>The patient's usable observations; those with no date Herald can read are said in one note, never dropped silently.</summary>
    private List<Stored<Observation>> ReadableObservations()
    {
        var mine = Mine(set.Observations, o => o.Subject).ToList();
        var undated = mine.Where(o => ObservationDate(o.Resource) is null && !Withdrawn(o.Resource))
            .Select(o => o.Key).ToList();
        if (undated.Count > 0)
        {
            notes.Add(new MappingNote("observations",
                $"{undated.Count} observation{(undated.Count == 1 ? " has" : "s have")} no date (effective[x] or issued) and {(undated.Count == 1 ? "was" : "were")} not used: {string.Join(", ", undated)}.",
                string.Join(", ", undated)));
        }

        foreach (var report in Mine(set.DiagnosticReports, r => r.Subject))
        {
            var missing = report.Resource.Result?.Select(r => r?.Value).OfType<string>()
                .Where(r => !r.StartsWith('#') && set.ResolveKey(r) is null).ToList() ?? [];
            var containedMissing = report.Resource.Result?.Select(r => r?.Value).OfType<string>()
                .Where(r => r.StartsWith('#') && !set.Observations.Any(o => o.Key == report.Key + r)).ToList() ?? [];
            if (missing.Count + containedMissing.Count > 0)
            {
                notes.Add(new MappingNote("observations",
                    $"{Label(report.Resource.Code)}: result{(missing.Count + containedMissing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Concat(containedMissing))} not in the record, not read.",
                    report.Key));
            }

            if ((report.Resource.Result?.Count ?? 0) == 0 && !string.IsNullOrWhiteSpace(report.Resource.Conclusion))
            {
                notes.Add(new MappingNote("observations", $"{Label(report.Resource.Code)}: no results, so its conclusion is read as the result ('{report.Resource.Conclusion}').", report.Key));
            }
        }

        return mine.Where(UsableObservation).ToList();
    }

    /// <summary>Final, amended, preliminary... but not entered-in-error or cancelled; dated on or before the assessment.</summary>
    /// <summary>Recorded in error or cancelled: never read, never reported as unread.</summary>
    private static bool Withdrawn(Observation observation) => observation.Status?.Trim() is "entered-in-error" or "cancelled";

    private bool UsableObservation(Stored<Observation> stored) =>
        !Withdrawn(stored.Resource)
        && ObservationDate(stored.Resource) is { } date && date <= asOf;

    private IEnumerable<(Stored<Observation> Stored, DateOnly Date, ConceptRow Row)> OfKind(List<Stored<Observation>> observations, string kind) =>
        observations
            .Select(o => (Stored: o, Date: ObservationDate(o.Resource)!.Value, Row: table.Find(kind, Coded.Values(o.Resource.Code))))
            .Where(x => x.Row is not null)
            .Select(x => (x.Stored, x.Date, x.Row!))
            .OrderByDescending(x => x.Date)
            .ThenBy(x => x.Stored.Key, StringComparer.Ordinal);

    // ---- ECOG and LVEF ----

    /// <summary>
    /// A status older than its parameter's number of days is not today's: the field is left unknown with a note naming
    /// the last one. True when the result may be used.
    /// </summary>
    private bool RecentEnough(string field, string what, string parameter, Stored<Observation> stored, DateOnly date, string value)
    {
        var maxDays = (int)kb.Parameter(parameter).Value;
        var age = asOf.DayNumber - date.DayNumber;
        if (age <= maxDays)
        {
            return true;
        }

        notes.Add(new MappingNote(field,
            $"The last {what} ({value}, {Format(date)}) is {age} days old, more than {maxDays} (parameter {parameter}): read as unknown. Record a current one.",
            stored.Key));
        return false;
    }

    private void ReadEcog(List<Stored<Observation>> observations, JsonObject patient)
    {
        foreach (var (stored, date, _) in OfKind(observations, "ecog-test"))
        {
            var o = stored.Resource;
            int? value = o.ValueInteger ?? IntegralQuantity(o.ValueQuantity);
            if (value is null && table.Find("ecog-answer", Coded.Values(o.ValueCodeableConcept)) is { } answer)
            {
                value = int.Parse(answer.Means, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (value is null && TextRules.Ecog(o.ValueString ?? o.ValueCodeableConcept?.Label) is { } byText)
            {
                value = byText;
                notes.Add(new MappingNote("ecog", $"'{o.ValueString ?? o.ValueCodeableConcept?.Label}' read as ECOG {byText} by its text.", stored.Key));
            }

            if (value is >= 0 and <= 4)
            {
                if (RecentEnough("ecog", "ECOG performance status", "record-performance-status-max-age-days", stored, date, $"ECOG {value}"))
                {
                    patient["ecog"] = value;
                }

                return;
            }

            unmapped.Add(o.ValueCodeableConcept is not null
                ? Coded.Unmapped(stored.Key, "valueCodeableConcept", "ECOG performance status", o.ValueCodeableConcept)
                : Coded.UnmappedText(stored.Key, "value", "ECOG performance status", DescribeValue(o)));
        }
    }

    private void ReadLvef(List<Stored<Observation>> observations, List<MedicationUse> uses, JsonObject patient)
    {
        var valid = new List<(Stored<Observation> Stored, DateOnly Date, int Percent)>();
        foreach (var (stored, date, _) in OfKind(observations, "lvef-test"))
        {
            var o = stored.Resource;
            var unit = o.ValueQuantity?.Code ?? o.ValueQuantity?.Unit;
            decimal? raw = o.ValueInteger ?? (unit is null or "%" ? o.ValueQuantity?.Value : null);
            if (raw is { } v && v >= 1 && v <= 100 && o.ValueQuantity?.Comparator is null)
            {
                valid.Add((stored, date, (int)Math.Round(v, MidpointRounding.AwayFromZero)));
            }
            else
            {
                unmapped.Add(Coded.UnmappedText(stored.Key, "value", "LVEF", DescribeValue(o)));
            }
        }

        if (valid.Count == 0)
        {
            return;
        }

        var latest = valid[0];
        var lvef = new JsonObject { ["percent"] = latest.Percent, ["date"] = Format(latest.Date) };

        // Baseline: the latest measurement on or before the first HER2-directed drug, when it is another one.
        var firstHer2 = uses.Where(u => u.Agents.Any(a => kb.FindAgent(a) is { IsHer2Directed: true })).Select(u => (DateOnly?)u.Start).Min();
        if (firstHer2 is { } start && valid.FirstOrDefault(v => v.Date <= start) is { Stored: not null } baseline && baseline.Stored != latest.Stored)
        {
            lvef["baselinePercent"] = baseline.Percent;
            lvef["baselineDate"] = Format(baseline.Date);
            notes.Add(new MappingNote("lvef.baselinePercent", $"Baseline: the latest LVEF on or before the first HER2-directed drug ({Format(start)}).", baseline.Stored.Key));
        }

        patient["lvef"] = lvef;
    }

    // ---- Pregnancy status (LOINC 82810-3) ----

    private void ReadPregnancy(List<Stored<Observation>> observations, JsonObject patient)
    {
        foreach (var (stored, date, _) in OfKind(observations, "pregnancy-test"))
        {
            var o = stored.Resource;
            var value = table.Find("pregnancy-answer", Coded.Values(o.ValueCodeableConcept))?.Means;
            if (value is null && TextRules.Pregnancy(o.ValueCodeableConcept?.Label ?? o.ValueString) is { } byText)
            {
                value = byText;
                notes.Add(new MappingNote("pregnancy", $"'{o.ValueCodeableConcept?.Label ?? o.ValueString}' read as {byText} by its text.", stored.Key));
            }

            if (value is null)
            {
                unmapped.Add(o.ValueCodeableConcept is not null
                    ? Coded.Unmapped(stored.Key, "valueCodeableConcept", "pregnancy status", o.ValueCodeableConcept)
                    : Coded.UnmappedText(stored.Key, "value", "pregnancy status", DescribeValue(o)));
                continue;
            }

            // An old "pregnant" is still written, with a note: a pregnancy is not assumed to have ended, and the alert errs safe.
            var maxDays = (int)kb.Parameter("record-pregnancy-status-max-age-days").Value;
            if (value == "pregnant" && asOf.DayNumber - date.DayNumber > maxDays)
            {
                patient["pregnancy"] = value;
                notes.Add(new MappingNote("pregnancy",
                    $"The last pregnancy status (pregnant, {Format(date)}) is more than {maxDays} days old (parameter record-pregnancy-status-max-age-days); it is kept, as a pregnancy is not assumed to have ended. Record a current status.",
                    stored.Key));
            }
            else if (RecentEnough("pregnancy", "pregnancy status", "record-pregnancy-status-max-age-days", stored, date, value))
            {
                patient["pregnancy"] = value;
            }

            return;
        }
    }

    // ---- Karnofsky (LOINC 89243-0, codes.md): the seeds state no conversion to ECOG, so it is reported, not converted ----

    private void ReportKarnofsky(List<Stored<Observation>> observations, JsonObject patient)
    {
        var karnofsky = OfKind(observations, "karnofsky-test").Select(x => x.Stored).FirstOrDefault();
        if (karnofsky is null || patient["ecog"] is not null)
        {
            return;
        }

        var o = karnofsky.Resource;
        unmapped.Add(Coded.UnmappedText(karnofsky.Key, "value", "Karnofsky recorded, ECOG needed", DescribeValue(o)));
        notes.Add(new MappingNote("ecog",
            $"Karnofsky performance status recorded ({DescribeValue(o) ?? "no value"}, {Format(ObservationDate(o)!.Value)}), ECOG needed: Herald's sources state no conversion, so it is not converted. Record the ECOG grade.",
            karnofsky.Key));
    }

    // ---- Cancer disease status, TNM M category, symptoms recorded as observations ----

    private List<DiseaseStatusObservation> ReadDiseaseStatuses(List<Stored<Observation>> observations, out List<DiseaseStatusObservation> brain)
    {
        var profile = table.Profile("cancer-disease-status");
        var all = new List<DiseaseStatusObservation>();
        brain = [];
        foreach (var stored in observations)
        {
            var o = stored.Resource;
            if (table.Find("disease-status-test", Coded.Values(o.Code)) is null && !o.HasProfile(profile))
            {
                continue;
            }

            var date = ObservationDate(o)!.Value;
            string? trend = table.Find("disease-status-answer", Coded.Values(o.ValueCodeableConcept))?.Means;
            if (trend is null)
            {
                var text = o.ValueCodeableConcept?.Label ?? o.ValueString;
                trend = TextRules.DiseaseTrend(text);
                if (trend is null)
                {
                    unmapped.Add(Coded.Unmapped(stored.Key, "valueCodeableConcept", "cancer disease status", o.ValueCodeableConcept ?? new CodeableConcept { Text = text }));
                    continue;
                }

                notes.Add(new MappingNote("disease.extracranialStatus", $"'{text}' read as {trend} by its text.", stored.Key));
            }

            var status = trend switch
            {
                "progressing" => DiseaseStatus.Progressing,
                "stable" => DiseaseStatus.Stable,
                "responding" => DiseaseStatus.Responding,
                "not-detected" => DiseaseStatus.NotDetected,
                _ => DiseaseStatus.Unknown,
            };
            var observation = new DiseaseStatusObservation(stored.Key, date, status);
            // A status about the brain metastases gives their status; one about leptomeningeal disease says nothing of
            // the disease outside the brain, so it is not read as the extracranial status either.
            var focus = o.Focus?.Select(f => Secondary(f?.Value)?.Site).Where(site => site is not null).ToList() ?? [];
            if (focus.Contains("brain"))
            {
                brain.Add(observation);
            }
            else if (focus.Count > 0 && focus.All(site => site == "leptomeningeal"))
            {
                notes.Add(new MappingNote("disease.extracranialStatus", "A disease status about the leptomeningeal disease: not read as the status of the disease outside the brain.", stored.Key));
            }
            else
            {
                all.Add(observation);
            }
        }

        all.Sort((a, b) => a.Date.CompareTo(b.Date));
        brain.Sort((a, b) => a.Date.CompareTo(b.Date));
        return all;
    }

    private void ReadMCategories(List<Stored<Observation>> observations)
    {
        foreach (var (stored, date, _) in OfKind(observations, "m-category-test"))
        {
            var o = stored.Resource;
            var value = table.Find("m-category-answer", Coded.Values(o.ValueCodeableConcept))?.Means
                ?? TextRules.MCategory(o.ValueCodeableConcept?.Label)
                ?? o.ValueCodeableConcept?.Coding?.Select(c => TextRules.MCategory(c.Display) ?? TextRules.MCategory(c.Code)).FirstOrDefault(v => v is not null)
                ?? TextRules.MCategory(o.ValueString);
            if (value is null)
            {
                unmapped.Add(Coded.Unmapped(stored.Key, "valueCodeableConcept", "TNM M category", o.ValueCodeableConcept ?? new CodeableConcept { Text = o.ValueString }));
                continue;
            }

            mCategories.Add(new DatedObservation<string>(stored.Key, date, value, o));
        }
    }

    private void ReadSymptomObservations(List<Stored<Observation>> observations)
    {
        foreach (var group in OfKind(observations, "symptom").GroupBy(x => x.Row.Means))
        {
            var (stored, _, row) = group.First(); // the latest
            var o = stored.Resource;
            var absent = o.ValueBoolean == false
                || table.Find("answer", Coded.Values(o.ValueCodeableConcept))?.Means == "negative"
                || TextRules.PositiveNegative(o.ValueString ?? o.ValueCodeableConcept?.Label) == "negative"
                || (o.ValueString ?? o.ValueCodeableConcept?.Label)?.Trim().ToLowerInvariant() is "absent" or "no";
            if (!absent)
            {
                AddOnce(symptoms, row.Means);
                notes.Add(new MappingNote("symptoms", $"{Coded.Describe(row)} observed → {row.Means}.", stored.Key));
            }
        }
    }

    private static int? IntegralQuantity(Quantity? quantity) =>
        quantity?.Value is { } v && v == decimal.Truncate(v) && v is >= int.MinValue and <= int.MaxValue && quantity.Comparator is null ? (int)v : null;

    private static string? DescribeValue(Observation o) =>
        o.ValueQuantity is { } q ? DescribeQuantity(q)
        : o.ValueInteger is { } i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : o.ValueString ?? o.ValueCodeableConcept?.Label;
}
