using Acornima;
using Acornima.Ast;
using Herald.Contracts.Patients;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Contracts;

/// <summary>
/// One description of the patient input: the reader's <see cref="PatientJsonShape"/>, docs/patient.schema.json and the
/// page's form (the SPEC of src/Herald.Server/Web/app/form.js, read with a JavaScript parser) must list the same
/// objects and properties, and the form must offer the reader's words, so a new field cannot reach one and miss another.
/// </summary>
public sealed class PatientInputDescriptionTests
{
    private sealed record FormField(string Kind, string Key, IReadOnlyList<FormField> Fields, IReadOnlyList<string> Options);

    private static readonly Lazy<(IReadOnlyList<FormField> Spec, string Source)> Form = new(ReadForm);

    private static (IReadOnlyList<FormField>, string) ReadForm()
    {
        var path = Path.Combine(RepositoryRoot, "src", "Herald.Server", "Web", "app", "form.js");
        var module = new Parser().ParseModule(File.ReadAllText(path));
        var constants = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var declarator in Descendants(module).OfType<VariableDeclarator>())
        {
            if (declarator is { Id: Identifier id, Init: { } init })
            {
                constants[id.Name] = init;
            }
        }

        var spec = Assert.IsType<ArrayExpression>(constants["SPEC"]);
        return (spec.Elements.Select(e => Field(e!, constants)).ToArray(), path);
    }

    private static IEnumerable<Node> Descendants(Node node)
    {
        foreach (var child in node.ChildNodes)
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    private static FormField Field(Node node, Dictionary<string, Node> constants)
    {
        var properties = Assert.IsType<ObjectExpression>(node).Properties.OfType<Property>()
            .ToDictionary(p => p.Key is Identifier i ? i.Name : ((Literal)p.Key).Value!.ToString()!, p => p.Value, StringComparer.Ordinal);
        string Text(string name) => properties.TryGetValue(name, out var v) && v is Literal { Value: string s } ? s : "";
        var fields = properties.TryGetValue("fields", out var f) ? ((ArrayExpression)f).Elements.Select(e => Field(e!, constants)).ToArray() : [];
        var options = new List<string>();
        if (properties.TryGetValue("options", out var o))
        {
            var list = o is Identifier name ? constants[name.Name] : o;
            foreach (var element in ((ArrayExpression)list).Elements)
            {
                // opt('value', 'Label'): the value is the first argument.
                options.Add(((Literal)((CallExpression)element!).Arguments[0]).Value!.ToString()!);
            }
        }

        return new FormField(Text("kind"), Text("key"), fields, options);
    }

    /// <summary>The form's objects by path, as <see cref="ObjectShape.Path"/> writes them, with their properties.</summary>
    private static SortedDictionary<string, SortedSet<string>> FormObjects()
    {
        var objects = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Walk(IEnumerable<FormField> fields, string path)
        {
            var own = objects.TryGetValue(path, out var existing) ? existing : objects[path] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                if (field.Kind == "object" && field.Key.Length == 0)
                {
                    Walk(field.Fields, path); // a section of the same object
                    continue;
                }

                own.Add(field.Key);
                var child = path.Length == 0 ? field.Key : $"{path}.{field.Key}";
                if (field.Kind == "object")
                {
                    Walk(field.Fields, child);
                }
                else if (field.Kind == "repeat")
                {
                    Walk(field.Fields, child + "[]");
                }
            }
        }

        Walk(Form.Value.Spec, "");
        return objects;
    }

    [Fact]
    public void The_reader_the_schema_and_the_form_list_the_same_fields_at_every_level()
    {
        IDictionary<string, string[]> reader = PatientJsonShape.Objects.ToDictionary(s => s.Path, s => s.Properties.Order(StringComparer.Ordinal).ToArray());
        IDictionary<string, string[]> schema = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        PatientSchemaTests.CollectObjects(PatientSchemaTests.Schema, "", schema);
        IDictionary<string, string[]> form = FormObjects().ToDictionary(o => o.Key, o => o.Value.ToArray());
        var copies = new (string Name, IDictionary<string, string[]> Objects)[]
        {
            ("reader (PatientJsonShape)", reader), ("docs/patient.schema.json", schema), ("form.js SPEC", form),
        };

        var problems = new List<string>();
        foreach (var path in reader.Keys.Union(schema.Keys).Union(form.Keys).Order(StringComparer.Ordinal))
        {
            var all = copies.SelectMany(c => c.Objects.TryGetValue(path, out var p) ? p : []).ToHashSet();
            foreach (var (name, copy) in copies)
            {
                var missing = all.Except(copy.TryGetValue(path, out var p) ? p : []).Order(StringComparer.Ordinal).ToArray();
                if (missing.Length > 0)
                {
                    problems.Add($"'{(path.Length == 0 ? "(patient)" : path)}': {name} lacks {string.Join(", ", missing)}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public static TheoryData<string, string[]> Vocabularies => new()
    {
        { "sex", [.. PatientVocabulary.Sex.Ids] },
        { "menopausalStatus", [.. PatientVocabulary.MenopausalStatus.Ids] },
        { "pregnancy", [.. PatientVocabulary.Pregnancy.Ids] },
        { "receptors.her2.ihc", [.. PatientVocabulary.Ihc.Ids] },
        { "receptors.her2.ish", [.. PatientVocabulary.Ish.Ids] },
        { "receptors.her2.status", [.. PatientVocabulary.Her2Status.Ids] },
        { "receptors.her2.specimen", [.. PatientVocabulary.Specimen.Ids] },
        { "receptors.er", [.. PatientVocabulary.HormoneReceptor.Ids] },
        { "presentation.type", [.. PatientVocabulary.PresentationType.Ids] },
        { "disease.sites", [.. PatientVocabulary.Site.Ids] },
        { "disease.brain.status", [.. PatientVocabulary.BrainStatus.Ids] },
        { "disease.burden", [.. PatientVocabulary.Burden.Ids] },
        { "disease.extracranialStatus", [.. PatientVocabulary.Extracranial.Ids] },
        { "comorbidities", [.. PatientVocabulary.Comorbidity.Ids] },
        { "symptoms[].symptom", [.. PatientVocabulary.Symptom.Ids] },
        { "earlyDisease.regimens[].setting", [.. PatientVocabulary.EarlySetting.Ids] },
        { "earlyDisease.pathologicResponse", [.. PatientVocabulary.PathologicResponse.Ids] },
        { "metastaticRegimens[].bestResponse", [.. PatientVocabulary.Response.Ids] },
        { "metastaticRegimens[].stopReason", [.. PatientVocabulary.StopReason.Ids] },
        { "metastaticRegimens[].toxicity", [.. PatientVocabulary.Toxicity.Ids] },
        { "preferences.avoid", [.. PatientVocabulary.Avoid.Ids] },
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void The_form_offers_exactly_the_words_the_reader_accepts(string path, string[] ids)
    {
        var field = FindField(Form.Value.Spec, "", path);

        Assert.True(field is not null, $"form.js has no field {path}");
        Assert.Equal(ids.Order(StringComparer.Ordinal), field!.Options.Order(StringComparer.Ordinal));
    }

    private static FormField? FindField(IEnumerable<FormField> fields, string basePath, string path)
    {
        foreach (var field in fields)
        {
            var own = field.Key.Length == 0 ? basePath : basePath.Length == 0 ? field.Key : $"{basePath}.{field.Key}";
            if (own == path && field.Kind != "object" && field.Kind != "repeat")
            {
                return field;
            }

            var below = field.Kind == "repeat" ? own + "[]" : own;
            if ((field.Kind is "object" or "repeat") && FindField(field.Fields, below, path) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
