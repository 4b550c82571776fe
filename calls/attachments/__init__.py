"""Applicants' attachments: what is accepted, how it is checked, named, stored and served.

The kind of a file is decided from its content only, never from its name or from the
content type the browser sent: first by its magic bytes, then by parsing it with the
library that knows the format (pypdf for PDF, Pillow for images, the ZIP headers for DOCX
and ODT). A file that is not what it claims to be is refused with a French message that
names the file and what is accepted.

Import each name from the module that owns it:

- ``kinds``: ``Kind``, ``KINDS``, ``KIND_CHOICES``, ``IMAGE_KINDS``; ``describe_kinds``,
  ``accept_attribute``, ``format_size``, ``describe_limits`` for what people read;
  ``detect_kind`` from the magic bytes.
- ``names``: ``sanitise_display_name`` (the name shown to reviewers),
  ``name_for_message`` (the applicant's name quoted in a message),
  ``content_disposition`` (the RFC 6266 download header).
- ``storage``: ``private_storage``, ``storage_key`` (a UUID, never the applicant's
  name), ``signed_url`` (five minutes at most, S3 only), ``PrivateStorage`` (the
  ``Attachment.file`` storage).
- ``pdf``, ``images``, ``office``: each format's check (``check_pdf``: nothing active,
  no action reaching outside, no repeated action key; ``clean_image``; ``zip_document_kind``:
  no macros, OLE object, ActiveX or remote template), raising ``refusal.Refusal``.
- ``budget``: ``CheckBudget``, the CPU and time budget of one file's check.
- ``antivirus``: ``scan`` (ClamAV's daemon over INSTREAM, when ``CLAMAV_SOCKET`` or
  ``CLAMAV_HOST`` is set), raising ``refusal.Refusal`` for an infected file or, fail
  closed, for one that could not be scanned.
- ``validation``: ``validate_upload`` and ``CleanFile``, the one entry point that runs
  the checks above in order, the antivirus last.
"""
