using System.Text.Json.Nodes;
using Herald.Contracts.Patients;
using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Tests.Contracts;

/// <summary>Patient JSON for the contract tests: a complete valid patient that each test breaks in one place.</summary>
internal static class PatientJson
{
    public static readonly DateOnly Today = new(2024, 7, 1);

    public static KnowledgeBase Kb => KnowledgeLoader.LoadEmbeddedOrThrow();

    /// <summary>HER2-positive recurrence, progressed on first-line THP, every field known.</summary>
    public const string Valid = """
        {
          "id": "contract-test",
          "assessmentDate": "2024-06-01",
          "age": 54,
          "sex": "female",
          "menopausalStatus": "postmenopausal",
          "receptors": {
            "her2": { "ihc": "3+", "ishRatio": 4.2, "specimen": "metastasis", "date": "2023-01-15" },
            "er": "positive",
            "pr": "negative"
          },
          "presentation": { "type": "recurrence", "initialDiagnosisDate": "2018-03-01", "metastaticDiagnosisDate": "2023-01-10" },
          "disease": {
            "sites": ["liver", "bone"],
            "leptomeningeal": false,
            "burden": "moderate",
            "symptomatic": false,
            "extracranialStatus": "progressing"
          },
          "ecog": 1,
          "lvef": { "percent": 60, "date": "2024-05-01", "baselinePercent": 62, "baselineDate": "2018-04-01" },
          "comorbidities": ["diabetes"],
          "otherComorbidities": ["hypothyroidism"],
          "symptoms": [],
          "allergies": [],
          "contraindications": [],
          "canTakeOralDrugs": true,
          "earlyDisease": {
            "regimens": [
              { "setting": "adjuvant", "agents": ["trastuzumab", "paclitaxel"], "start": "2018-04-01", "stop": "2019-04-01" }
            ],
            "trastuzumabCompleted": "2019-04-01"
          },
          "metastaticRegimens": [
            {
              "agents": ["pertuzumab", "trastuzumab", "docetaxel"],
              "start": "2023-02-01",
              "stop": "2024-05-15",
              "bestResponse": "PR",
              "stopReason": "progression",
              "progressionAtFirstAssessment": false,
              "taxaneStopped": "2023-08-01"
            }
          ],
          "preferences": { "avoid": ["alopecia"], "declines": [] },
          "unavailableDrugs": []
        }
        """;

    /// <summary>A valid de novo patient deciding first-line therapy.</summary>
    public const string FirstLine = """
        {
          "id": "first-line",
          "assessmentDate": "2024-06-01",
          "age": 61,
          "sex": "female",
          "menopausalStatus": "postmenopausal",
          "receptors": { "her2": { "ihc": "3+", "specimen": "metastasis", "date": "2024-05-10" }, "er": "negative", "pr": "negative" },
          "presentation": { "type": "de-novo", "initialDiagnosisDate": "2024-05-01", "metastaticDiagnosisDate": "2024-05-01" },
          "disease": { "sites": ["liver"], "burden": "high", "symptomatic": true, "extracranialStatus": "progressing" },
          "ecog": 1,
          "lvef": { "percent": 62, "date": "2024-05-20" },
          "canTakeOralDrugs": true
        }
        """;

    public static PatientReadResult Read(string json) => PatientJsonReader.Read(json, Kb, Today);

    /// <summary>The valid patient with one change.</summary>
    public static PatientReadResult Read(Action<JsonObject> edit, string json = Valid)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return Read(root.ToJsonString());
    }

    public static JsonNode Node(string json) => JsonNode.Parse(json)!;

    public static JsonObject Obj(this JsonObject root, string path)
    {
        JsonNode node = root;
        foreach (var part in path.Split('.'))
        {
            node = part.EndsWith(']')
                ? node[part[..part.IndexOf('[')]]![int.Parse(part[(part.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!
                : node[part]!;
        }

        return node.AsObject();
    }

    public static JsonObject Regimen(this JsonObject root, int index = 0) => root.Obj($"metastaticRegimens[{index}]");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Herald.slnx).");
        }
    }
}
