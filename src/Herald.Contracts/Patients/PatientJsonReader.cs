using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Core;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Shape = Herald.Contracts.Patients.PatientJsonShape;
using Words = Herald.Contracts.Patients.PatientVocabulary;

namespace Herald.Contracts.Patients;

/// <summary>
/// Reads the native patient JSON (docs/patient-input.md) into a validated <see cref="Patient"/>,
/// resolving agent names against the knowledge base. Finds every problem in one pass; any problem
/// means no patient.
/// </summary>
public static class PatientJsonReader
{
    /// <param name="asOf">The date of the decision when the caller sets it (CLI --as-of); it replaces the
    /// patient's assessmentDate. Every date in the input must fall on or before it.</param>
    public static PatientReadResult Read(string json, KnowledgeBase kb, DateOnly today, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var encodingErrors = StrictJson.Check(json, refuseDuplicateNames: false, out var utf8);
        return encodingErrors.Count > 0 ? new PatientReadResult(null, today, encodingErrors) : Read(utf8, kb, today, asOf);
    }

    /// <summary>Reads the UTF-8 bytes of a patient file or request body; bytes that are not UTF-8 are an error, never replaced.</summary>
    public static PatientReadResult Read(ReadOnlyMemory<byte> utf8, KnowledgeBase kb, DateOnly today, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(kb);

        // Syntax, UTF-8 and lone surrogate escapes first: the reader below then never meets text it cannot decode.
        // Members given twice are left to the reader, which names them with every other problem in one pass.
        if (!StrictJson.TryParse(utf8, out var parsed, out var screened, refuseDuplicateNames: false))
        {
            return new PatientReadResult(null, today, screened);
        }

        using var document = parsed;
        return new Reading(kb, today, asOf).Read(document.RootElement);
    }

    /// <summary>
    /// Reads a patient built in memory (the FHIR mapping's): written to UTF-8 and read as a file would be, without the
    /// text screen. The tree cannot hold a member twice, and its strings came from input that passed the screen.
    /// </summary>
    public static PatientReadResult Read(JsonObject patient, KnowledgeBase kb, DateOnly today, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(kb);
        var utf8 = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(utf8))
        {
            patient.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(utf8.WrittenMemory, new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth });
        return new Reading(kb, today, asOf).Read(document.RootElement);
    }

    private readonly record struct AgentList(AgentSet Agents, IReadOnlyList<(Agent Agent, JsonValue At)> Items, bool Complete);

    /// <summary>The state of one read: the knowledge base, "now" and the errors found so far.</summary>
    private sealed class Reading(KnowledgeBase kb, DateOnly today, DateOnly? asOfOverride)
    {
        private readonly InputErrorList errors = new();
        private DateOnly asOf;

        public PatientReadResult Read(JsonElement element)
        {
            var root = new JsonValue(element, InputLocation.Root, errors).Object(Shape.Patient);
            if (root is null)
            {
                return new PatientReadResult(null, today, errors.InDocumentOrder());
            }

            // First, because every other date is checked against it.
            asOf = ReadAssessmentDate(root);

            var id = root.RequiredText("id");
            var age = root.OptionalInt("age", 0, 120);
            var sex = root.OptionalEnum("sex", Words.Sex);
            var menopause = root.OptionalEnum("menopausalStatus", Words.MenopausalStatus);
            var receptors = ReadReceptors(root.OptionalObject("receptors", Shape.Receptors));
            var presentation = ReadPresentation(root.OptionalObject("presentation", Shape.Presentation));
            var disease = ReadDisease(root.OptionalObject("disease", Shape.Disease));
            var ecog = root.OptionalInt("ecog", 0, 4);
            var lvef = ReadLvef(root.OptionalObject("lvef", Shape.Lvef));
            var comorbidities = ReadEnumList(root.OptionalArray("comorbidities"), Words.Comorbidity)
                .Aggregate(Comorbidities.None, (all, c) => all | c);
            var otherComorbidities = ReadTexts(root.OptionalArray("otherComorbidities"));
            var (symptoms, onsets) = ReadSymptoms(root.OptionalArray("symptoms"));
            var intolerances = new List<Intolerance>();
            ReadIntolerances(root.OptionalArray("allergies"), IntoleranceKind.Allergy, Shape.Allergy, "reaction", intolerances);
            ReadIntolerances(root.OptionalArray("contraindications"), IntoleranceKind.Contraindication, Shape.Contraindication, "reason", intolerances);
            var canTakeOral = root.OptionalBool("canTakeOralDrugs");
            var early = ReadEarlyDisease(root.OptionalObject("earlyDisease", Shape.EarlyDisease), presentation?.MetastaticDiagnosis);
            var regimens = ReadMetastaticRegimens(root.OptionalArray("metastaticRegimens"), presentation?.MetastaticDiagnosis, disease.Extracranial);
            var preferences = ReadPreferences(root.OptionalObject("preferences", Shape.Preferences));
            var unavailable = ReadAgents(root.Optional("unavailableDrugs"), atLeastOne: false)?.Agents ?? AgentSet.Empty;
            var pregnancy = root.OptionalEnum("pregnancy", Words.Pregnancy);
            var breastfeeding = root.OptionalBool("breastfeeding");
            root.RejectUnknown();

            if (sex == Sex.Male && pregnancy == PregnancyStatus.Pregnant)
            {
                errors.Add(root.LocationOf("pregnancy"), "is 'pregnant', but sex is 'male'.");
            }

            if (presentation?.Type == PresentationType.DeNovo && root.Has("earlyDisease"))
            {
                errors.Add(
                    root.LocationOf("earlyDisease"),
                    "is given, but presentation.type is 'de-novo' (metastatic at first diagnosis): there is no early-disease treatment to record.");
            }

            if (presentation?.Type == PresentationType.NotMetastatic)
            {
                RefuseMetastaticFacts(root, disease);
            }

            if (errors.HasErrors || id is null || presentation is null)
            {
                return new PatientReadResult(null, asOf, errors.InDocumentOrder());
            }

            var patient = new Patient(
                id,
                age,
                sex,
                menopause,
                receptors,
                presentation,
                disease,
                ecog,
                lvef,
                comorbidities,
                otherComorbidities,
                symptoms,
                intolerances,
                canTakeOral,
                early,
                regimens,
                preferences,
                unavailable,
                pregnancy,
                breastfeeding,
                onsets);
            return new PatientReadResult(patient, asOf, []);
        }

        private DateOnly ReadAssessmentDate(JsonObjectReader root)
        {
            var value = root.Optional("assessmentDate");
            if (value?.Date() is not { } date)
            {
                return asOfOverride ?? today;
            }

            if (date > today)
            {
                value.Value.Error($"{Show(date)} is after today ({Show(today)}): a decision cannot be made as of a future date.");
                return asOfOverride ?? today;
            }

            return asOfOverride ?? date;
        }

        /// <summary>A date property, which like every date in the input must not be after the assessment date.</summary>
        private DateOnly? ReadDate(JsonObjectReader obj, string name, bool required = false)
        {
            var value = required ? obj.Required(name) : obj.Optional(name);
            var date = value?.Date();
            if (date > asOf)
            {
                value!.Value.Error($"{Show(date.Value)} is after the assessment date {Show(asOf)}.");
            }

            return date;
        }

        private Receptors ReadReceptors(JsonObjectReader? obj)
        {
            if (obj is null)
            {
                return new Receptors(null, null, null);
            }

            var her2Object = obj.OptionalObject("her2", Shape.Her2);
            var her2 = her2Object is null ? null : ReadHer2(her2Object);
            var er = obj.OptionalEnum("er", Words.HormoneReceptor);
            var pr = obj.OptionalEnum("pr", Words.HormoneReceptor);
            obj.RejectUnknown();
            return new Receptors(her2, er, pr);
        }

        private Her2Test ReadHer2(JsonObjectReader obj)
        {
            var ihc = obj.OptionalEnum("ihc", Words.Ihc);
            var ish = obj.OptionalEnum("ish", Words.Ish);
            var ratio = obj.Optional("ishRatio")?.Number(0, 50);
            var copies = obj.Optional("ishCopyNumber")?.Number(0, 100);
            var status = obj.OptionalEnum("status", Words.Her2Status);
            var specimen = obj.OptionalEnum("specimen", Words.Specimen);
            var date = ReadDate(obj, "date");
            obj.RejectUnknown();

            if (status is { } reported && Her2Contradiction(reported, ihc, ish) is { } problem)
            {
                errors.Add(obj.LocationOf("status"), problem);
            }

            return new Her2Test(ihc, ish, ratio, status, specimen, date, copies);
        }

        /// <summary>
        /// A reported status that the IHC/ISH detail contradicts. Herald reads HER2 from the detail when it is
        /// given, so a contradiction would silently override what the user wrote.
        /// </summary>
        private static string? Her2Contradiction(ReportedStatus status, IhcScore? ihc, IshResult? ish)
        {
            var positive = new List<string>(2);
            if (ihc == IhcScore.ThreePlus)
            {
                positive.Add("IHC 3+");
            }

            if (ish == IshResult.Amplified)
            {
                positive.Add("ISH amplified");
            }

            var negative = new List<string>(2);
            if (ihc is IhcScore.Zero or IhcScore.OnePlus)
            {
                negative.Add($"IHC {Words.Ihc.Id(ihc.Value)}");
            }

            if (ish == IshResult.NotAmplified)
            {
                negative.Add("ISH not amplified");
            }

            if (status == ReportedStatus.Negative && positive.Count > 0)
            {
                return $"'negative' contradicts {string.Join(" and ", positive)} (HER2-positive). Correct it, or leave status out when IHC/ISH results are given.";
            }

            if (status == ReportedStatus.Positive && positive.Count == 0 && negative.Count > 0)
            {
                return ish is null
                    ? $"'positive' contradicts {string.Join(" and ", negative)} (HER2-negative without an amplified ISH result). Record the ISH result, or correct the status."
                    : $"'positive' contradicts {string.Join(" and ", negative)} (HER2-negative). Correct it, or leave status out when IHC/ISH results are given.";
            }

            return null;
        }

        /// <summary>Every part may be left out: the engine asks for what it needs (an absent object reads as all unknown).</summary>
        private Presentation? ReadPresentation(JsonObjectReader? obj)
        {
            if (obj is null)
            {
                return Presentation.Unknown;
            }

            var type = obj.OptionalEnum("type", Words.PresentationType);
            var initial = ReadDate(obj, "initialDiagnosisDate");
            var metastatic = ReadDate(obj, "metastaticDiagnosisDate");
            obj.RejectUnknown();

            if (initial > metastatic)
            {
                errors.Add(obj.LocationOf("initialDiagnosisDate"), $"{Show(initial!.Value)} is after the metastatic diagnosis {Show(metastatic!.Value)}.");
            }

            if (type == PresentationType.NotMetastatic && metastatic is not null)
            {
                errors.Add(obj.LocationOf("metastaticDiagnosisDate"), "is given, but presentation.type is 'not-metastatic': a metastatic diagnosis contradicts it.");
            }

            return new Presentation(type, initial, metastatic);
        }

        /// <summary>A record that says "not metastatic" and also describes metastatic disease contradicts itself.</summary>
        private void RefuseMetastaticFacts(JsonObjectReader root, Disease disease)
        {
            if (root.Has("metastaticRegimens"))
            {
                errors.Add(root.LocationOf("metastaticRegimens"), "is given, but presentation.type is 'not-metastatic': there is no metastatic treatment to record.");
            }

            if (disease.Sites.Count > 0 || disease.Brain is not null || disease.Leptomeningeal)
            {
                errors.Add(root.LocationOf("disease"), "describes metastatic sites, but presentation.type is 'not-metastatic'.");
            }
        }

        private Disease ReadDisease(JsonObjectReader? obj)
        {
            if (obj is null)
            {
                return new Disease([], null, false, null, null, null);
            }

            var sites = ReadEnumList(obj.OptionalArray("sites"), Words.Site);
            var brainObject = obj.OptionalObject("brain", Shape.Brain);
            BrainMetastases? brain = null;
            if (brainObject is not null)
            {
                var status = brainObject.OptionalEnum("status", Words.BrainStatus);
                var count = brainObject.OptionalInt("lesionCount", 1, 1000);
                var largest = brainObject.OptionalInt("largestLesionMm", 1, 300);
                var symptomatic = brainObject.OptionalBool("symptomatic");
                var treated = brainObject.OptionalBool("treatedLocally");
                brainObject.RejectUnknown();
                brain = new BrainMetastases(count, largest, symptomatic, treated, status);
            }

            var leptomeningeal = obj.OptionalBool("leptomeningeal") ?? false;
            var burden = obj.OptionalEnum("burden", Words.Burden);
            var diseaseSymptomatic = obj.OptionalBool("symptomatic");
            var extracranial = obj.OptionalEnum("extracranialStatus", Words.Extracranial);
            obj.RejectUnknown();
            return new Disease(sites, brain, leptomeningeal, burden, diseaseSymptomatic, extracranial);
        }

        private CardiacFunction? ReadLvef(JsonObjectReader? obj)
        {
            if (obj is null)
            {
                return null;
            }

            var percent = obj.RequiredInt("percent", 1, 100);
            var date = ReadDate(obj, "date", required: true);
            var baselinePercent = obj.OptionalInt("baselinePercent", 1, 100);
            var baselineDate = ReadDate(obj, "baselineDate");
            obj.RejectUnknown();

            if (baselineDate > date)
            {
                errors.Add(obj.LocationOf("baselineDate"), $"{Show(baselineDate.Value)} is after the LVEF date {Show(date!.Value)}: the baseline comes first.");
            }

            return percent is { } p && date is { } d ? new CardiacFunction(p, d, baselinePercent, baselineDate) : null;
        }

        private void ReadIntolerances(
            IReadOnlyList<JsonValue>? items, IntoleranceKind kind, ObjectShape shape, string noteName, List<Intolerance> into)
        {
            foreach (var item in items ?? [])
            {
                var obj = item.Object(shape);
                if (obj is null)
                {
                    continue;
                }

                var substanceValue = obj.Required("substance");
                var substance = substanceValue?.Text();
                var note = obj.OptionalString(noteName);
                obj.RejectUnknown();
                if (substance is null)
                {
                    continue;
                }

                // A group ("taxane") stands for all its members: an allergy to the class.
                if (kb.FindAgent(substance) is { } agent)
                {
                    into.Add(new Intolerance(kind, substance, AgentSet.Of(agent.Index), IsGroup: false, note));
                }
                else if (kb.FindGroup(substance) is { } group)
                {
                    into.Add(new Intolerance(kind, substance, group.Members, IsGroup: true, note));
                }
                else
                {
                    substanceValue!.Value.Error(UnknownName(substance, "agent or group of agents", AgentNames().Concat(GroupNames())));
                }
            }
        }

        private EarlyDisease? ReadEarlyDisease(JsonObjectReader? obj, DateOnly? metastaticDiagnosis)
        {
            if (obj is null)
            {
                return null;
            }

            var regimens = new List<EarlyRegimen>();
            foreach (var item in obj.OptionalArray("regimens") ?? [])
            {
                if (item.Object(Shape.EarlyRegimen) is { } regimenObject
                    && ReadEarlyRegimen(regimenObject, metastaticDiagnosis) is { } regimen)
                {
                    regimens.Add(regimen);
                }
            }

            var response = obj.OptionalEnum("pathologicResponse", Words.PathologicResponse);
            var completed = ReadDate(obj, "trastuzumabCompleted");
            obj.RejectUnknown();

            if (completed > metastaticDiagnosis)
            {
                errors.Add(obj.LocationOf("trastuzumabCompleted"), $"{Show(completed.Value)} is after the metastatic diagnosis {Show(metastaticDiagnosis!.Value)}.");
            }

            return new EarlyDisease(regimens, response, completed);
        }

        private EarlyRegimen? ReadEarlyRegimen(JsonObjectReader obj, DateOnly? metastaticDiagnosis)
        {
            var setting = obj.RequiredEnum("setting", Words.EarlySetting);
            var agents = ReadAgents(obj.Required("agents"), atLeastOne: true);
            var start = ReadDate(obj, "start");
            var stop = ReadDate(obj, "stop");
            obj.RejectUnknown();

            const string BelongsToMetastatic = "treatment after the metastatic diagnosis belongs under metastaticRegimens.";
            if (stop < start)
            {
                errors.Add(obj.LocationOf("stop"), $"{Show(stop.Value)} is before the start {Show(start!.Value)}.");
            }

            if (start > metastaticDiagnosis)
            {
                errors.Add(obj.LocationOf("start"), $"{Show(start.Value)} is after the metastatic diagnosis {Show(metastaticDiagnosis!.Value)}: {BelongsToMetastatic}");
            }

            if (stop > metastaticDiagnosis)
            {
                errors.Add(obj.LocationOf("stop"), $"{Show(stop.Value)} is after the metastatic diagnosis {Show(metastaticDiagnosis!.Value)}: {BelongsToMetastatic}");
            }

            return setting is { } s && agents is { } a ? new EarlyRegimen(s, a.Agents, start, stop) : null;
        }

        private List<MetastaticRegimen> ReadMetastaticRegimens(
            IReadOnlyList<JsonValue>? items, DateOnly? metastaticDiagnosis, ExtracranialStatus? extracranial)
        {
            var regimens = new List<MetastaticRegimen>();
            InputLocation? firstOngoing = null;
            foreach (var item in items ?? [])
            {
                var obj = item.Object(Shape.MetastaticRegimen);
                if (obj is null)
                {
                    continue;
                }

                if (ReadMetastaticRegimen(obj, metastaticDiagnosis, extracranial) is { } regimen)
                {
                    regimens.Add(regimen);
                }

                if (!obj.Has("stop"))
                {
                    if (firstOngoing is { } first)
                    {
                        item.Error($"is ongoing (no stop date), and so is {first.Display}: only one metastatic regimen can be ongoing.");
                    }
                    else
                    {
                        firstOngoing = item.At;
                    }
                }
            }

            return regimens;
        }

        private MetastaticRegimen? ReadMetastaticRegimen(JsonObjectReader obj, DateOnly? metastaticDiagnosis, ExtracranialStatus? extracranial)
        {
            var agents = ReadAgents(obj.Required("agents"), atLeastOne: true);
            var start = ReadDate(obj, "start", required: true);
            var stop = ReadDate(obj, "stop");
            var bestResponse = obj.OptionalEnum("bestResponse", Words.Response);
            var stopReason = obj.OptionalEnum("stopReason", Words.StopReason);
            var earlyProgression = obj.OptionalBool("progressionAtFirstAssessment");
            var taxaneStopped = ReadDate(obj, "taxaneStopped");
            var causativeValue = obj.Optional("causativeAgents");
            var causative = ReadAgents(causativeValue, atLeastOne: false);
            var toxicityValue = obj.Optional("toxicity");
            var toxicity = toxicityValue?.Enum(Words.Toxicity);
            obj.RejectUnknown();

            if (start < metastaticDiagnosis)
            {
                errors.Add(
                    obj.LocationOf("start"),
                    $"{Show(start.Value)} is before the metastatic diagnosis {Show(metastaticDiagnosis!.Value)}: treatment before the metastatic diagnosis belongs under earlyDisease.");
            }

            if (stop < start)
            {
                errors.Add(obj.LocationOf("stop"), $"{Show(stop.Value)} is before the start {Show(start!.Value)}.");
            }

            var ongoing = !obj.Has("stop");
            var reasonGiven = obj.Has("stopReason");
            if (!ongoing && !reasonGiven)
            {
                errors.Add(obj.LocationOf("stopReason"), $"is required when a stop date is given ({Words.StopReason.Describe()}).");
            }
            else if (ongoing && reasonGiven)
            {
                errors.Add(obj.LocationOf("stopReason"), "is given, but the regimen has no stop date: an ongoing regimen has no stop reason.");
            }

            // A stop reason that failed to read has its own error; rules that depend on it would only add noise.
            var reasonKnown = !reasonGiven || stopReason is not null;

            if (earlyProgression == true && reasonKnown && stopReason != StopReason.Progression
                && !(ongoing && extracranial == ExtracranialStatus.Progressing))
            {
                errors.Add(obj.LocationOf("progressionAtFirstAssessment"), ongoing
                    ? "is true, but the regimen is ongoing and disease.extracranialStatus is not 'progressing'."
                    : $"is true, but the regimen stopped for {(stopReason is { } r ? $"'{Words.StopReason.Id(r)}'" : "no recorded reason")}, not progression.");
            }

            if (taxaneStopped is { } taxaneStop)
            {
                var location = obj.LocationOf("taxaneStopped");
                if (agents is { Complete: true } a && !a.Agents.Overlaps(kb.Taxanes))
                {
                    errors.Add(location, "is given, but the regimen has no taxane.");
                }
                else if (taxaneStop < start)
                {
                    errors.Add(location, $"{Show(taxaneStop)} is before the regimen's start {Show(start.Value)}.");
                }
                else if (taxaneStop > stop)
                {
                    errors.Add(location, $"{Show(taxaneStop)} is after the regimen's stop {Show(stop.Value)}.");
                }
            }

            if (causativeValue is { } causativeAt && reasonKnown)
            {
                if (stopReason != StopReason.Toxicity)
                {
                    causativeAt.Error("is given only when stopReason is 'toxicity'.");
                }
                else if (causative is not null && agents is not null)
                {
                    foreach (var (agent, at) in causative.Value.Items)
                    {
                        if (!agents.Value.Agents.Contains(agent))
                        {
                            at.Error($"{agent.Name} is not one of this regimen's agents.");
                        }
                    }
                }
            }

            if (toxicityValue is { } toxicityAt && reasonKnown && stopReason != StopReason.Toxicity)
            {
                toxicityAt.Error("is given only when stopReason is 'toxicity'.");
            }

            return agents is { } list && start is { } s
                ? new MetastaticRegimen(list.Agents, s, stop, bestResponse, stopReason, earlyProgression, taxaneStopped, causative?.Agents ?? AgentSet.Empty, toxicity)
                : null;
        }

        private Preferences ReadPreferences(JsonObjectReader? obj)
        {
            if (obj is null)
            {
                return new Preferences(AvoidPreferences.None, AgentSet.Empty);
            }

            var avoid = ReadEnumList(obj.OptionalArray("avoid"), Words.Avoid)
                .Aggregate(AvoidPreferences.None, (all, a) => all | a);
            var declines = ReadAgents(obj.Optional("declines"), atLeastOne: false)?.Agents ?? AgentSet.Empty;
            obj.RejectUnknown();
            return new Preferences(avoid, declines);
        }

        /// <summary>A list of specific agents: each resolved by id, name or alias, each once.</summary>
        private AgentList? ReadAgents(JsonValue? value, bool atLeastOne)
        {
            if (value?.Array() is not { } items)
            {
                return null;
            }

            if (atLeastOne && items.Count == 0)
            {
                value.Value.Error("must name at least one agent.");
                return null;
            }

            var set = AgentSet.Empty;
            var resolved = new List<(Agent, JsonValue)>(items.Count);
            var complete = true;
            foreach (var item in items)
            {
                var name = item.Text();
                var agent = name is null ? null : ResolveAgent(item, name);
                if (agent is null)
                {
                    complete = false;
                }
                else if (set.Contains(agent))
                {
                    item.Error($"{JsonValue.Quote(name!)} lists {agent.Name} a second time.");
                }
                else
                {
                    set |= AgentSet.Of(agent.Index);
                    resolved.Add((agent, item));
                }
            }

            return new AgentList(set, resolved, complete);
        }

        private Agent? ResolveAgent(JsonValue item, string name)
        {
            if (kb.FindAgent(name) is { } agent)
            {
                return agent;
            }

            item.Error(kb.FindGroup(name) is not null
                ? $"name a specific agent, not the group {JsonValue.Quote(name)}."
                : UnknownName(name, "agent", AgentNames()));
            return null;
        }

        private IEnumerable<string> AgentNames() => kb.Agents.SelectMany(a => a.Aliases.Prepend(a.Id).Prepend(a.Name));

        private IEnumerable<string> GroupNames() => kb.Groups.SelectMany(g => new[] { g.Id, g.Name });

        private static string UnknownName(string name, string what, IEnumerable<string> candidates) =>
            NameSuggestions.Closest(name, candidates) is { } suggestion
                ? $"{JsonValue.Quote(name)} is not a known {what}; did you mean '{suggestion}'?"
                : $"{JsonValue.Quote(name)} is not a known {what}.";

        private List<T> ReadEnumList<T>(IReadOnlyList<JsonValue>? items, EnumVocabulary<T> vocabulary)
            where T : struct, Enum
        {
            var values = new List<T>();
            foreach (var item in items ?? [])
            {
                if (item.Enum(vocabulary) is not { } value)
                {
                    continue;
                }

                if (values.Contains(value))
                {
                    item.Error($"'{vocabulary.Id(value)}' is listed more than once.");
                }
                else
                {
                    values.Add(value);
                }
            }

            return values;
        }

        /// <summary>Each symptom a word ("dyspnoea") or an object with when it began ({ "symptom": "dyspnoea", "onset": "2024-05-02" }).</summary>
        private (Symptoms Symptoms, List<SymptomOnset> Onsets) ReadSymptoms(IReadOnlyList<JsonValue>? items)
        {
            var all = Symptoms.None;
            var onsets = new List<SymptomOnset>();
            foreach (var item in items ?? [])
            {
                Symptoms? symptom;
                DateOnly? onset = null;
                var at = item;
                if (item.IsObject)
                {
                    var obj = item.Object(Shape.Symptom)!;
                    var value = obj.Required("symptom");
                    symptom = value?.Enum(Words.Symptom);
                    onset = ReadDate(obj, "onset");
                    obj.RejectUnknown();
                    at = value ?? item;
                }
                else
                {
                    symptom = item.Enum(Words.Symptom);
                }

                if (symptom is not { } s)
                {
                    continue;
                }

                if ((all & s) != 0)
                {
                    at.Error($"'{Words.Symptom.Id(s)}' is listed more than once.");
                    continue;
                }

                all |= s;
                if (onset is { } began)
                {
                    onsets.Add(new SymptomOnset(s, began));
                }
            }

            return (all, onsets);
        }

        private static List<string> ReadTexts(IReadOnlyList<JsonValue>? items)
        {
            var texts = new List<string>();
            foreach (var item in items ?? [])
            {
                if (item.Text() is { } text)
                {
                    texts.Add(text);
                }
            }

            return texts;
        }

        private static string Show(DateOnly date) => DecisionText.Date(date);
    }
}
