import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// `knot template list|show|edit|reset`: the clinic's wording for the parts of plans and
/// letters it can change (greeting, opening, closing and signature), stored with the clinic.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "The clinic's wording for plans and letters (Mustache templates, stored with the clinic).",
        discussion: """
        A template fills in values such as {{patient.fullName}}, {{recipient.salutation}},
        {{practitioner.signature}} ("Name, Profession, BODY registration NUMBER"), {{practitioner.registrationBody}},
        {{practitioner.registration}} (the number), {{practitioner.providerNumber}}
        or {{#referral}}...{{/referral}} (only when there was a referral).
        Templates cannot read files, include other templates or run code. The sections of a plan or
        letter are drawn from its items, so new sections appear without changing a template.
        """,
        subcommands: [List.self, Show.self, Edit.self, Reset.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the templates and whether the clinic changed them.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let templates = try global.session(create: false).letterTemplates()
            let width = templates.map(\.name.count).max() ?? 0
            for t in templates {
                let state = t.changed ? "changed" + (t.changedBy.map { " by \($0)" } ?? "") : "Knot's wording"
                Console.print(t.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "\(t.summary) [\(state)]")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a template's text as it is used now.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template (see knot template list).") var name: String

        func run() throws {
            let t = try global.session(create: false).letterTemplate(name)
            Console.out(Data(t.text.utf8))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a template, in $EDITOR or from a file; checked first, stored only when it is correct.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template (see knot template list).") var name: String
        @Option(help: ArgumentHelp("Take the new text from this file ('-' for standard input) instead of opening $EDITOR.", valueName: "file"))
        var file: String?

        func run() throws {
            let session = try global.session(create: false)
            let current = try session.letterTemplate(name)
            // Refused before the editor opens: nobody types a template they cannot store.
            try session.authorize(.changeClinicSettings)
            let text: String
            var draft: URL?
            if let file {
                text = try Self.read(file)
            } else {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("knot-template-\(name)-\(UUID().uuidString).mustache")
                do { try Data(current.text.utf8).write(to: url) } catch {
                    throw KnotCommandError("cannot write a draft to \(url.path): \(error.localizedDescription)", .cannotCreate)
                }
                draft = url
                try Self.openEditor(url)
                text = try Self.read(url.path)
            }
            guard text != current.text else {
                if let draft { try? FileManager.default.removeItem(at: draft) }
                Console.print("Template \(name) is unchanged.")
                return
            }
            do {
                try session.setLetterTemplate(name, text: text)
            } catch {
                if let draft {
                    FileHandle.standardError.write(Data("Your text is kept in \(draft.path): fix it and run knot template edit \(name) --file \(draft.path)\n".utf8))
                }
                throw error
            }
            if let draft { try? FileManager.default.removeItem(at: draft) }
            Console.print("Template \(name) is changed for every practitioner of the clinic (knot template reset \(name) goes back to Knot's wording).")
        }

        static func read(_ path: String) throws -> String {
            let data: Data
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard FileManager.default.fileExists(atPath: path) else { throw KnotCommandError("--file \(path): no such file", .missingInput) }
                // A file handle, not Data(contentsOf:), so a pipe or device (/dev/null) reads too.
                guard let handle = FileHandle(forReadingAtPath: path) else {
                    throw KnotCommandError("--file \(path): cannot read it (permission?)", .io)
                }
                defer { try? handle.close() }
                do { data = try handle.readToEnd() ?? Data() } catch {
                    throw KnotCommandError("--file \(path): cannot read: \(error.localizedDescription)", .io)
                }
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw KnotCommandError("--file \(path): the template is not UTF-8 text", .badInput)
            }
            return text
        }

        /// Runs `$VISUAL` or `$EDITOR` (else `vi`) on the draft, through the shell so an editor
        /// given with options ("code --wait") works.
        static func openEditor(_ url: URL) throws {
            let env = ProcessInfo.processInfo.environment
            let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", editor + " \"$1\"", "sh", url.path]
            do { try process.run() } catch {
                throw KnotCommandError("cannot start the editor (\(editor)): \(error.localizedDescription)", .io)
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw KnotCommandError("the editor (\(editor)) exited with status \(process.terminationStatus); the template is unchanged", .io)
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Go back to Knot's wording for a template (audited).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template (see knot template list).") var name: String

        func run() throws {
            let changed = try global.session(create: false).resetLetterTemplate(name)
            Console.print(changed ? "Template \(name) is back to Knot's wording." : "Template \(name) already uses Knot's wording.")
        }
    }
}
