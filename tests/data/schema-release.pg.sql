-- A database created by the last release before Alembic (commit 5211587, knowledge/db.py init_db), with a few rows.
-- Used by tests/knowledge/test_migrations.py; regenerate only to add another historical schema.
--
-- PostgreSQL database dump
--

\restrict 7WgfPHXEzPAJj0VX5QnKZZ3ErWLlBuG0OoAJLFSa2AJpF8DuQgDRgHejRQMT3FR

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: agencies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agencies (
    id integer NOT NULL,
    name character varying(300) NOT NULL,
    name_norm character varying(300) NOT NULL,
    license_number character varying(120) NOT NULL,
    license_norm character varying(120) NOT NULL,
    status character varying(20) NOT NULL,
    valid_until date,
    province character varying(120) NOT NULL,
    city character varying(120) NOT NULL,
    address text NOT NULL,
    phone character varying(60) NOT NULL,
    countries text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: agencies_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.agencies_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: agencies_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.agencies_id_seq OWNED BY public.agencies.id;


--
-- Name: datasets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.datasets (
    name character varying(40) NOT NULL,
    as_of date,
    source_file character varying(500) NOT NULL,
    is_demo boolean NOT NULL,
    row_count integer DEFAULT 0 NOT NULL,
    version integer NOT NULL,
    imported_at timestamp with time zone NOT NULL
);


--
-- Name: escalations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.escalations (
    id integer NOT NULL,
    user_id character varying(200) NOT NULL,
    channel character varying(20) NOT NULL,
    reason character varying(40) NOT NULL,
    priority character varying(10) NOT NULL,
    priority_rank integer NOT NULL,
    status character varying(12) NOT NULL,
    details json NOT NULL,
    assigned_to character varying(80),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone
);


--
-- Name: escalations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.escalations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: escalations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.escalations_id_seq OWNED BY public.escalations.id;


--
-- Name: messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.messages (
    id integer NOT NULL,
    user_id character varying(200) NOT NULL,
    channel character varying(20) NOT NULL,
    direction character varying(3) NOT NULL,
    text text NOT NULL,
    buttons json,
    status character varying(20) NOT NULL,
    external_id character varying(200),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: messages_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.messages_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: messages_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.messages_id_seq OWNED BY public.messages.id;


--
-- Name: staff_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_users (
    id integer NOT NULL,
    username character varying(80) NOT NULL,
    password_hash character varying(100) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: staff_users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_users_id_seq OWNED BY public.staff_users.id;


--
-- Name: trainings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trainings (
    id integer NOT NULL,
    natural_key character varying(400) NOT NULL,
    title character varying(300) NOT NULL,
    provider character varying(300) NOT NULL,
    city character varying(120) NOT NULL,
    province character varying(120) NOT NULL,
    region_code character varying(10),
    province_code character varying(10),
    field character varying(200) NOT NULL,
    start_date date,
    end_date date,
    fee integer NOT NULL,
    quota integer,
    registration_url character varying(1000) NOT NULL,
    description text NOT NULL,
    search_terms text NOT NULL,
    content_hash character varying(64) NOT NULL,
    is_demo boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: trainings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.trainings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: trainings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.trainings_id_seq OWNED BY public.trainings.id;


--
-- Name: vacancies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.vacancies (
    id integer NOT NULL,
    source character varying(80) NOT NULL,
    source_id character varying(200) NOT NULL,
    title character varying(300) NOT NULL,
    company character varying(300) NOT NULL,
    headcount integer,
    city character varying(120) NOT NULL,
    province character varying(120) NOT NULL,
    region_code character varying(10),
    province_code character varying(10),
    sector character varying(200) NOT NULL,
    education character varying(200) NOT NULL,
    education_level integer,
    skills text NOT NULL,
    experience character varying(200) NOT NULL,
    salary_min integer,
    salary_max integer,
    posted_at date,
    expires_at date,
    country character varying(80) NOT NULL,
    agency_license character varying(120) NOT NULL,
    agency_license_norm character varying(120) NOT NULL,
    url character varying(1000) NOT NULL,
    description text NOT NULL,
    group_key character varying(400) NOT NULL,
    is_demo boolean DEFAULT false NOT NULL,
    content_hash character varying(64) NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL
);


--
-- Name: vacancies_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.vacancies_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: vacancies_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.vacancies_id_seq OWNED BY public.vacancies.id;


--
-- Name: vacancy_terms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.vacancy_terms (
    term character varying(80) NOT NULL,
    vacancy_id integer NOT NULL,
    scope character varying(90) NOT NULL,
    expires_at date NOT NULL,
    posted_at date NOT NULL
);


--
-- Name: agencies id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agencies ALTER COLUMN id SET DEFAULT nextval('public.agencies_id_seq'::regclass);


--
-- Name: escalations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalations ALTER COLUMN id SET DEFAULT nextval('public.escalations_id_seq'::regclass);


--
-- Name: messages id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages ALTER COLUMN id SET DEFAULT nextval('public.messages_id_seq'::regclass);


--
-- Name: staff_users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users ALTER COLUMN id SET DEFAULT nextval('public.staff_users_id_seq'::regclass);


--
-- Name: trainings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings ALTER COLUMN id SET DEFAULT nextval('public.trainings_id_seq'::regclass);


--
-- Name: vacancies id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vacancies ALTER COLUMN id SET DEFAULT nextval('public.vacancies_id_seq'::regclass);


--
-- Data for Name: agencies; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.agencies (id, name, name_norm, license_number, license_norm, status, valid_until, province, city, address, phone, countries, updated_at) FROM stdin;
1	PT Contoh Lama	contoh lama	KEP.1/PPTKIS/I/2020	KEP1PPTKISI2020	aktif	\N					Taiwan	2026-11-20 00:00:00+00
\.


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.datasets (name, as_of, source_file, is_demo, row_count, version, imported_at) FROM stdin;
\.


--
-- Data for Name: escalations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.escalations (id, user_id, channel, reason, priority, priority_rank, status, details, assigned_to, created_at, updated_at, resolved_at) FROM stdin;
\.


--
-- Data for Name: messages; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.messages (id, user_id, channel, direction, text, buttons, status, external_id, created_at) FROM stdin;
1	42	telegram	in	pesan 0	\N	answered	tg-1	2026-11-20 00:00:00+00
2	42	telegram	in	pesan 1	\N	answered	tg-2	2026-11-20 00:00:00+00
3	42	telegram	in	pesan 2	\N	answered	\N	2026-11-20 00:00:00+00
\.


--
-- Data for Name: staff_users; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_users (id, username, password_hash, active, created_at) FROM stdin;
\.


--
-- Data for Name: trainings; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.trainings (id, natural_key, title, provider, city, province, region_code, province_code, field, start_date, end_date, fee, quota, registration_url, description, search_terms, content_hash, is_demo, updated_at) FROM stdin;
\.


--
-- Data for Name: vacancies; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.vacancies (id, source, source_id, title, company, headcount, city, province, region_code, province_code, sector, education, education_level, skills, experience, salary_min, salary_max, posted_at, expires_at, country, agency_license, agency_license_norm, url, description, group_key, is_demo, content_hash, first_seen, last_seen) FROM stdin;
\.


--
-- Data for Name: vacancy_terms; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.vacancy_terms (term, vacancy_id, scope, expires_at, posted_at) FROM stdin;
\.


--
-- Name: agencies_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.agencies_id_seq', 1, true);


--
-- Name: escalations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.escalations_id_seq', 1, false);


--
-- Name: messages_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.messages_id_seq', 3, true);


--
-- Name: staff_users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_users_id_seq', 1, false);


--
-- Name: trainings_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.trainings_id_seq', 1, false);


--
-- Name: vacancies_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.vacancies_id_seq', 1, false);


--
-- Name: agencies agencies_license_norm_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agencies
    ADD CONSTRAINT agencies_license_norm_key UNIQUE (license_norm);


--
-- Name: agencies agencies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agencies
    ADD CONSTRAINT agencies_pkey PRIMARY KEY (id);


--
-- Name: datasets datasets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT datasets_pkey PRIMARY KEY (name);


--
-- Name: escalations escalations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_pkey PRIMARY KEY (id);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: staff_users staff_users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_pkey PRIMARY KEY (id);


--
-- Name: staff_users staff_users_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_username_key UNIQUE (username);


--
-- Name: trainings trainings_natural_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_natural_key_key UNIQUE (natural_key);


--
-- Name: trainings trainings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_pkey PRIMARY KEY (id);


--
-- Name: messages uq_messages_channel_external_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT uq_messages_channel_external_id UNIQUE (channel, external_id);


--
-- Name: vacancies uq_vacancies_source_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vacancies
    ADD CONSTRAINT uq_vacancies_source_id UNIQUE (source, source_id);


--
-- Name: vacancies vacancies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vacancies
    ADD CONSTRAINT vacancies_pkey PRIMARY KEY (id);


--
-- Name: vacancy_terms vacancy_terms_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vacancy_terms
    ADD CONSTRAINT vacancy_terms_pkey PRIMARY KEY (term, vacancy_id);


--
-- Name: ix_agencies_name_norm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_agencies_name_norm ON public.agencies USING btree (name_norm);


--
-- Name: ix_escalations_queue; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_escalations_queue ON public.escalations USING btree (status, priority_rank, created_at);


--
-- Name: ix_escalations_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_escalations_user ON public.escalations USING btree (channel, user_id);


--
-- Name: ix_messages_user_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_messages_user_time ON public.messages USING btree (channel, user_id, id);


--
-- Name: ix_trainings_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trainings_region ON public.trainings USING btree (region_code, end_date);


--
-- Name: ix_vacancies_country; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancies_country ON public.vacancies USING btree (country, expires_at);


--
-- Name: ix_vacancies_group; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancies_group ON public.vacancies USING btree (group_key);


--
-- Name: ix_vacancies_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancies_region ON public.vacancies USING btree (region_code, expires_at);


--
-- Name: ix_vacancy_terms_recent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancy_terms_recent ON public.vacancy_terms USING btree (term, posted_at);


--
-- Name: ix_vacancy_terms_scope; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancy_terms_scope ON public.vacancy_terms USING btree (term, scope, expires_at);


--
-- Name: ix_vacancy_terms_vacancy; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_vacancy_terms_vacancy ON public.vacancy_terms USING btree (vacancy_id);


--
-- Name: vacancy_terms vacancy_terms_vacancy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vacancy_terms
    ADD CONSTRAINT vacancy_terms_vacancy_id_fkey FOREIGN KEY (vacancy_id) REFERENCES public.vacancies(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict 7WgfPHXEzPAJj0VX5QnKZZ3ErWLlBuG0OoAJLFSa2AJpF8DuQgDRgHejRQMT3FR

