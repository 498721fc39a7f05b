using System.Text.Json.Nodes;
using Herald.Fhir.Lines;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

internal sealed partial class PatientMapping
{
    /// <summary>The native order of disease.sites (docs/patient-input.md), for a stable output.</summary>
    private static readonly string[] SiteOrder =
        ["liver", "lung", "pleura", "peritoneum", "adrenal", "other-visceral", "bone", "soft-tissue", "lymph-nodes", "skin", "chest-wall"];

    private readonly Dictionary<string, CancerCondition> secondaryByKey = new(StringComparer.Ordinal);
    private DateOnly? metastaticDiagnosisDate;

    // ---- Conditions: primary and secondary cancer, comorbidities, symptoms ----

    private void ReadConditions()
    {
        var secondaryProfile = table.Profile("secondary-cancer-condition");
        var primaryProfile = table.Profile("primary-cancer-condition");
        foreach (var stored in Mine(set.Conditions, c => c.Subject))
        {
            var condition = stored.Resource;
            if (Refuted(condition.VerificationStatus))
            {
                continue;
            }

            var onset = Onset(stored);
            if (onset is { } date && date > asOf)
            {
                notes.Add(new MappingNote("conditions", $"Onset {Format(date)} is after the assessment date: not used.", stored.Key));
                continue;
            }

            var active = ActiveClinically(condition.ClinicalStatus);
            var codes = Coded.Values(condition.Code);
            var label = condition.Code?.Label;
            var primaryRow = table.Find("primary-breast-cancer", codes);
            var siteRow = table.Find("metastatic-site", codes);
            var secondary = condition.HasProfile(secondaryProfile);

            if (primaryRow is not null && !secondary)
            {
                primaries.Add(new CancerCondition(stored.Key, onset, primaryRow.Means, active, condition));
                continue;
            }

            if (secondary || siteRow is not null || IsSecondaryIcd(codes) || TextRules.SaysSecondary(label))
            {
                ReadSecondary(stored, onset, active, siteRow);
                continue;
            }

            if (condition.HasProfile(primaryProfile) || TextRules.SaysBreastCancer(label))
            {
                if (TextRules.SaysBreastCancer(label))
                {
                    notes.Add(new MappingNote("presentation.initialDiagnosisDate", $"'{label}' read as the primary breast cancer by its text.", stored.Key));
                    primaries.Add(new CancerCondition(stored.Key, onset, "breast-cancer", active, condition));
                }
                else
                {
                    unmapped.Add(Coded.Unmapped(stored.Key, "code", "primary cancer", condition.Code));
                }

                continue;
            }

            if (!active)
            {
                continue;
            }

            if (table.Find("comorbidity", codes) is { } comorbidity)
            {
                AddOnce(comorbidities, comorbidity.Means);
            }
            else if (table.Find("symptom", codes) is { } symptom)
            {
                AddOnce(symptoms, symptom.Means);
                notes.Add(new MappingNote("symptoms", $"{Coded.Describe(symptom)} → {symptom.Means}.", stored.Key));
                if (onset is { } began && (!symptomOnsets.TryGetValue(symptom.Means, out var earlier) || began < earlier))
                {
                    // The condition's onset says when the symptom began (new since the current regimen, or before it).
                    symptomOnsets[symptom.Means] = began;
                }
            }
            else if (TextRules.Comorbidity(label) is { } byText)
            {
                // A safety-relevant disease named only in words is read, and said; it is never left as free text.
                AddOnce(comorbidities, byText);
                notes.Add(new MappingNote("comorbidities", $"'{label}' read as {byText} by its text.", stored.Key));
            }
            else if (label is not null
                && (!TextRules.IsNonDisorderTag(condition.Code?.Coding?.FirstOrDefault()?.Display ?? label) || MayBeLungToxicitySign(label)))
            {
                // Shown to the clinician, not interpreted; findings and situations (Synthea's "Full-time employment") are left
                // out, except a finding that may be a sign of lung toxicity under a code Herald does not read.
                AddOnce(otherComorbidities, TextRules.StripTag(label));
            }
        }
    }

    // The T-DXd label (evidence.md) asks for cough, dyspnoea and fever to be investigated: such a finding is never dropped.
    private static readonly string[] LungToxicitySignWords = ["cough", "dyspn", "breath", "fever", "pyrexia", "febrile"];

    private static bool MayBeLungToxicitySign(string label) =>
        LungToxicitySignWords.Any(word => label.Contains(word, StringComparison.OrdinalIgnoreCase));

    private void ReadSecondary(Stored<Condition> stored, DateOnly? onset, bool active, ConceptRow? siteRow)
    {
        var condition = stored.Resource;
        var site = siteRow?.Means;
        if (site is null)
        {
            foreach (var bodySite in condition.BodySite ?? [])
            {
                if (table.Find("metastatic-site", Coded.Values(bodySite)) is { } row)
                {
                    site = row.Means;
                    break;
                }

                if (TextRules.Site(bodySite.Label) is { } byText)
                {
                    site = byText;
                    notes.Add(new MappingNote("disease.sites", $"Body site '{bodySite.Label}' read as {byText} by its text.", stored.Key));
                    break;
                }
            }
        }

        if (site is null && TextRules.Site(condition.Code?.Label) is { } fromCodeText)
        {
            site = fromCodeText;
            notes.Add(new MappingNote("disease.sites", $"'{condition.Code!.Label}' read as {fromCodeText} by its text.", stored.Key));
        }

        if (site is null)
        {
            // Never dropped: the metastasis still dates the metastatic diagnosis, and the site is reported.
            unmapped.Add(Coded.Unmapped(stored.Key, "code", "metastatic site", condition.Code));
        }

        var entry = new CancerCondition(stored.Key, onset, site, active, condition);
        secondaries.Add(entry);
        secondaryByKey.TryAdd(stored.Key, entry);
    }

    /// <summary>The secondary cancer Condition a reference (a disease status's focus) names, however it is written.</summary>
    private CancerCondition? Secondary(string? reference) =>
        set.ResolveKey(reference) is { } key && secondaryByKey.TryGetValue(key, out var condition) ? condition : null;

    private static bool IsSecondaryIcd(IEnumerable<CodedValue> codes) =>
        codes.Any(c => c.System == ConceptTable.Icd10Cm && c.Code is { } code
            && (code.StartsWith("C77", StringComparison.Ordinal) || code.StartsWith("C78", StringComparison.Ordinal) || code.StartsWith("C79", StringComparison.Ordinal)));

    private DateOnly? Onset(Stored<Condition> stored)
    {
        var condition = stored.Resource;
        if ((FhirDate.Read(condition.OnsetDateTime) ?? FhirDate.Read(condition.OnsetPeriod?.Start)) is { } onset)
        {
            return onset;
        }

        if (FhirDate.Read(condition.RecordedDate) is { } recorded)
        {
            notes.Add(new MappingNote("conditions", $"No onset: the recorded date {Format(recorded)} is used.", stored.Key));
            return recorded;
        }

        return null;
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    // ---- Procedures: breast surgery ----

    private void ReadProcedures()
    {
        foreach (var stored in Mine(set.Procedures, p => p.Subject))
        {
            var procedure = stored.Resource;
            if (procedure.Status is { } status && status != "completed")
            {
                continue;
            }

            if ((FhirDate.Read(procedure.PerformedDateTime) ?? FhirDate.Read(procedure.PerformedPeriod?.Start)) is not { } date || date > asOf)
            {
                continue;
            }

            if (table.Find("breast-surgery", Coded.Values(procedure.Code)) is not null)
            {
                surgeries.Add((date, stored.Key));
            }
            else if (TextRules.SaysBreastSurgery(procedure.Code?.Label))
            {
                surgeries.Add((date, stored.Key));
                notes.Add(new MappingNote("earlyDisease.regimens", $"'{procedure.Code!.Label}' read as breast surgery by its text.", stored.Key));
            }
        }

        surgeries.Sort((a, b) => a.Date.CompareTo(b.Date));
    }

    // ---- Presentation ----

    private DateOnly? MetastaticDiagnosis()
    {
        foreach (var undated in secondaries.Where(s => s.Onset is null))
        {
            notes.Add(new MappingNote("presentation.metastaticDiagnosisDate", "Secondary cancer condition without an onset or recorded date: not used for the date.", undated.Key));
        }

        var earliest = secondaries.Where(s => s.Onset is not null).Select(s => s.Onset).Min();
        if (earliest is null && mCategories.Where(m => m.Value == "m1").OrderBy(m => m.Date).FirstOrDefault() is { } m1)
        {
            earliest = m1.Date;
            notes.Add(new MappingNote("presentation.metastaticDiagnosisDate", $"No secondary cancer condition: the date of the M1 category ({Format(m1.Date)}) is used.", m1.Key));
        }

        if (earliest is null && RecordsMetastaticDisease())
        {
            notes.Add(new MappingNote("presentation.metastaticDiagnosisDate",
                "Metastatic disease is recorded but not when it was diagnosed: record the metastases as Conditions (mCODE secondary cancer condition) with their onset."));
        }

        metastaticDiagnosisDate = earliest;
        return earliest;
    }

    /// <summary>A secondary cancer, an M1 category, or a line given with palliative intent: the disease is metastatic.</summary>
    private bool RecordsMetastaticDisease() => secondaries.Count > 0 || mCategories.Any(m => m.Value == "m1") || palliativeIntent;

    private string? PresentationType(DateOnly? initial, DateOnly? metastatic, LineDerivation? derivation)
    {
        if (metastatic is not { } md)
        {
            return RecordsMetastaticDisease() ? null : NotMetastatic();
        }

        var recurrence = new List<string>();
        var deNovo = new List<string>();
        if (derivation is { Early.Count: > 0 })
        {
            recurrence.Add($"treatment before the metastatic diagnosis or with curative intent ({string.Join(", ", derivation.Early.SelectMany(e => e.Sources).Distinct())})");
        }

        foreach (var m0 in mCategories.Where(m => m.Value == "m0" && m.Date < md))
        {
            recurrence.Add($"M0 category on {Format(m0.Date)} ({m0.Key}), before the metastatic diagnosis");
        }

        var gap = (int)kb.Parameter("record-recurrence-gap-months").Value;
        var window = (int)kb.Parameter("record-de-novo-window-months").Value;
        if (initial is { } id && id.AddMonths(gap) <= md)
        {
            recurrence.Add($"breast cancer diagnosed {Format(id)}, {gap} months or more before the metastatic diagnosis {Format(md)}");
        }

        if (initial is { } at)
        {
            foreach (var m1 in mCategories.Where(m => m.Value == "m1" && m.Date >= at.AddMonths(-1) && m.Date <= at.AddMonths(window)))
            {
                deNovo.Add($"M1 category on {Format(m1.Date)} ({m1.Key}), at the diagnosis of {Format(at)}");
            }
        }

        if (recurrence.Count > 0 && deNovo.Count > 0)
        {
            problems.Add(new MappingProblem("presentation.type",
                $"The resources disagree: de novo by {string.Join("; ", deNovo)}, but a recurrence by {string.Join("; ", recurrence)}."));
            return null;
        }

        if (recurrence.Count > 0 || deNovo.Count > 0)
        {
            var type = recurrence.Count > 0 ? "recurrence" : "de-novo";
            notes.Add(new MappingNote("presentation.type", $"{type}: {string.Join("; ", recurrence.Count > 0 ? recurrence : deNovo)}."));
            return type;
        }

        // Nothing says it outright: metastases found soon after the diagnosis, with no curative treatment or
        // surgery of the breast before them, are what a clinician reads as de novo (record-de-novo-window-months).
        var surgeryBefore = surgeries.Any(s => s.Date <= md);
        if (initial is { } diagnosed && md <= diagnosed.AddMonths(window) && !surgeryBefore)
        {
            var months = Core.Engine.PatientFactsBuilder.MonthsBetween(diagnosed, md);
            var sources = string.Join(", ", new[] { primaries.OrderBy(p => p.Onset).First().Key }.Concat(secondaries.Where(s => s.Onset == md).Select(s => s.Key)));
            Infer("presentation.type",
                $"Read as de novo: metastases diagnosed {Format(md)}, {(months < 1 ? "less than a month" : months == 1 ? "1 month" : $"{months} months")} after the breast cancer ({Format(diagnosed)}), with no curative-intent treatment or breast surgery recorded before them (within {window} months: parameter record-de-novo-window-months).",
                sources);
            return "de-novo";
        }

        notes.Add(new MappingNote("presentation.type",
            "The record does not tell whether the metastatic disease was present at diagnosis (de novo) or is a recurrence: left unknown. Record the TNM M category at diagnosis, the early-disease treatment, or the primary breast cancer with its onset."));
        return null;
    }

    // No metastasis, no M1 category, nothing given with palliative intent: the record describes no metastatic disease.
    private string NotMetastatic()
    {
        var m0 = mCategories.Where(m => m.Value == "m0").OrderBy(m => m.Date).LastOrDefault();
        Infer("presentation.type",
            "Read as not metastatic: the record holds no secondary cancer Condition, no TNM M1 category and no treatment with palliative intent"
            + (m0 is null ? "." : $"; the latest M category is M0 ({Format(m0.Date)}).")
            + " If metastatic disease has been diagnosed, record it as a Condition with its onset.",
            m0?.Key);
        return "not-metastatic";
    }

    /// <summary>An inference from the record: a mapping note that the answer also states in its rationale.</summary>
    private void Infer(string field, string text, string? source) =>
        notes.Add(new MappingNote(field, text, source) { Inference = true });

    // ---- Disease now ----

    private JsonObject ReadDisease(List<DiseaseStatusObservation> statuses, List<DiseaseStatusObservation> brainStatuses)
    {
        var disease = new JsonObject();
        var current = secondaries.Where(s => s.Active && s.Site is not null).ToList();
        var sites = SiteOrder.Where(site => current.Any(s => s.Site == site)).ToList();
        if (sites.Count > 0)
        {
            disease["sites"] = new JsonArray(sites.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }

        var brain = current.Where(s => s.Site == "brain").ToList();
        if (brain.Count > 0)
        {
            var brainObject = new JsonObject();
            var latest = brainStatuses.OrderBy(s => s.Date).LastOrDefault();
            var status = latest?.Status switch
            {
                DiseaseStatus.Progressing => "progressing",
                DiseaseStatus.Stable or DiseaseStatus.Responding or DiseaseStatus.NotDetected => "stable",
                _ => null,
            };
            var weeks = (int)kb.Parameter("record-new-brain-metastasis-weeks").Value;
            var firstRecorded = brain.Where(b => b.Onset is not null).Select(b => b.Onset).Min();
            if (status is not null)
            {
                brainObject["status"] = status;
                notes.Add(new MappingNote("disease.brain.status", $"{status}: the latest cancer disease status of the brain metastases ({Format(latest!.Date)}).", latest.Source));
            }
            else if (firstRecorded is { } first && first.AddDays(7 * weeks) >= asOf)
            {
                brainObject["status"] = "new";
                var days = asOf.DayNumber - first.DayNumber;
                Infer("disease.brain.status",
                    $"Read as new brain metastases: first recorded {Format(first)} ({days} day{(days == 1 ? "" : "s")} before the assessment), within {weeks} weeks (parameter record-new-brain-metastasis-weeks), with no disease status recorded for them.",
                    string.Join(", ", brain.Select(b => b.Key)));
            }
            else
            {
                notes.Add(new MappingNote("disease.brain.status",
                    $"Brain metastases are recorded but nothing says whether they are new, progressing or stable: left unknown. Record a cancer disease status (LOINC 97509-4) whose focus is the brain metastasis Condition.",
                    string.Join(", ", brain.Select(b => b.Key))));
            }

            disease["brain"] = brainObject;
        }

        if (current.Any(s => s.Site == "leptomeningeal"))
        {
            disease["leptomeningeal"] = true;
        }

        var extracranial = statuses.Where(s => metastaticDiagnosisDate is { } md && s.Date >= md).OrderBy(s => s.Date).LastOrDefault();
        if (extracranial is not null)
        {
            var value = extracranial.Status switch
            {
                DiseaseStatus.Progressing => "progressing",
                DiseaseStatus.Stable => "stable",
                DiseaseStatus.Responding or DiseaseStatus.NotDetected => "responding",
                _ => null,
            };
            if (value is not null)
            {
                disease["extracranialStatus"] = value;
                var remission = extracranial.Status == DiseaseStatus.NotDetected ? " (remission read as responding)" : "";
                notes.Add(new MappingNote("disease.extracranialStatus", $"{value}: the latest cancer disease status, {Format(extracranial.Date)}{remission}.", extracranial.Source));
            }
        }

        return disease;
    }
}

